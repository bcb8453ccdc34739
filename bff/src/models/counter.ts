import { Schema } from 'mongoose';

/** Serial-number sequences, e.g. the next instrument serial per region and category. */
export const counterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, default: 0 } }, { autoIndex: false, versionKey: false });
