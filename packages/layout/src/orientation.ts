import { angleDifference, dominantAngle, ORIENTATION_TOLERANCE_DEGREES } from './angle.js';

export interface OrientationGroup<T> {
  /** Counter-clockwise degrees [0, 360). */
  readonly angle: number;
  readonly members: readonly T[];
}

/**
 * Splits items by text orientation, heaviest first: each group is the dominant angle of what is left
 * and every item within 20 degrees of it. A page of skewed text is one group; a page with a rotated
 * table caption or a vertical margin note has two.
 */
export function orientationGroups<T>(
  items: readonly T[],
  angleOf: (item: T) => number,
  weightOf: (item: T) => number,
): OrientationGroup<T>[] {
  const groups: OrientationGroup<T>[] = [];
  let rest = items;
  while (rest.length > 0) {
    const angle =
      dominantAngle(
        rest.map(angleOf),
        rest.map((item) => Math.max(weightOf(item), 1e-6)),
      ) ?? 0;
    const members: T[] = [];
    const others: T[] = [];
    for (const item of rest) {
      (angleDifference(angleOf(item), angle) <= ORIENTATION_TOLERANCE_DEGREES ? members : others).push(item);
    }
    if (members.length === 0) return [...groups, { angle, members: rest }];
    groups.push({ angle, members });
    rest = others;
  }
  return groups;
}
