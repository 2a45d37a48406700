/**
 * A size between `min` and `max` bytes whose logarithm is uniform: as many tiny as huge
 * messages, so every size class is exercised while the total stays moderate.
 */
export function logUniformSize(min: number, max: number, random: () => number = Math.random): number {
  const size = Math.round(Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))));
  return Math.min(max, Math.max(min, size));
}
