import { presentInstrument, type InstrumentFields } from './registry';

/** An instrument as regulators see it: the public view plus region and audit times. */
export function presentInstrumentForStaff(i: InstrumentFields & { regionCode: string; createdAt?: Date; updatedAt?: Date }) {
  return {
    ...presentInstrument(i),
    regionCode: i.regionCode,
    createdAt: i.createdAt?.toISOString(),
    updatedAt: i.updatedAt?.toISOString(),
  };
}
