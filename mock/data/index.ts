/** Deterministic demo and benchmark data (see generate.ts). */
export { generateDemoData, iterateDemoData } from './generate';
export type { DemoBusiness, DemoData, DemoDataOptions, DemoInstrument, DemoVerification } from './generate';
export { JINAN_DISTRICT_AREAS, distanceKm } from './jinan';
