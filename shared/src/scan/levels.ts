import { LEVELS, type Level } from '../constants';

/** Detectors, most sensitive first, with the level (SPEC section 3) a match implies. */
export const DETECTOR_LEVELS = {
  idNumber: 'L4',
  bankCard: 'L4',
  coordinate: 'L4',
  mobile: 'L3',
  email: 'L3',
  personName: 'L3',
  licencePlate: 'L3',
  creditCode: 'L1',
} as const satisfies Record<string, Level>;
export type DetectorName = keyof typeof DETECTOR_LEVELS;
export const DETECTORS = Object.keys(DETECTOR_LEVELS) as DetectorName[];

/** Position of a level in LEVELS: L1 → 0 … L4 → 3. */
export function levelOrder(level: Level): number {
  return LEVELS.indexOf(level);
}

/** The most sensitive of the levels given; L1 when none are. */
export function maxLevel(...levels: Level[]): Level {
  return levels.reduce<Level>((max, l) => (levelOrder(l) > levelOrder(max) ? l : max), LEVELS[0]);
}
