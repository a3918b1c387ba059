/**
 * Splits schedules into groups of at most `perGroup`, keeping config order, so each group fits in one
 * CloudFormation stack. Adding a schedule at the end never moves the others; inserting one earlier moves
 * the last schedule of each following group into the next (it is re-created there, in the next group).
 */
export function partitionSchedules<T>(schedules: readonly T[], perGroup: number): T[][] {
  if (!Number.isInteger(perGroup) || perGroup < 1) {
    throw new Error(`schedulesPerStack must be a positive whole number, got ${perGroup}`);
  }
  const groups: T[][] = [];
  for (let start = 0; start < schedules.length; start += perGroup) {
    groups.push(schedules.slice(start, start + perGroup));
  }
  return groups;
}
