import { Schema } from 'mongoose';

/**
 * Where a business is, as a GeoJSON Point: `[longitude, latitude]` in GCJ-02 degrees, the
 * datum of China's maps (WeChat's map component, Tencent and AMap) and of
 * `getLocation({ type: 'gcj02' })`. It sits a few hundred metres off WGS-84, so coordinates
 * from a GPS or an international map must be converted before they are stored.
 */
const locationSchema = new Schema(
  {
    type: { type: String, enum: ['Point'], required: true },
    coordinates: {
      type: [Number],
      default: undefined,
      required: true,
      validate: { validator: isLngLat, message: 'LOCATION_NOT_LNG_LAT' },
    },
  },
  { _id: false },
);

/** The stored form of a `[lng, lat]` pair (GCJ-02). */
export function locationAt(lngLat: [number, number]) {
  return { type: 'Point' as const, coordinates: lngLat };
}

/** Two numbers, longitude in [-180, 180] and latitude in [-90, 90]: what a 2dsphere index accepts. */
function isLngLat(coordinates: number[]): boolean {
  if (coordinates.length !== 2) return false;
  const [lng, lat] = coordinates;
  return Math.abs(lng) <= 180 && Math.abs(lat) <= 90;
}

/** A business that uses mandatory instruments: a company (credit code) or a stall (platform id). */
export const businessSchema = new Schema(
  {
    creditCode: { type: String },
    platformId: { type: String },
    name: { type: String, required: true },
    industry: { type: String, required: true },
    regionCode: { type: String, required: true },
    address: { type: String, default: '' },
    /**
     * Absent when unknown. Never a bare `{ type: 'Point' }` (what a nested GeoJSON path with a
     * default gives): MongoDB's 2dsphere index refuses that document ("Can't extract geo keys").
     */
    location: { type: locationSchema, default: undefined },
    contacts: [{ _id: false, name: String, phone: String }],
    status: { type: String, enum: ['active', 'closed'], default: 'active' },
  },
  { timestamps: true, autoIndex: false },
);
businessSchema.index({ creditCode: 1 }, { unique: true, partialFilterExpression: { creditCode: { $type: 'string' } } });
businessSchema.index({ platformId: 1 }, { unique: true, partialFilterExpression: { platformId: { $type: 'string' } } });
businessSchema.index({ regionCode: 1, industry: 1 });
businessSchema.index({ location: '2dsphere' });
