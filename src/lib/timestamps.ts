/**
 * The credential report gives whole seconds, the API may give milliseconds or microseconds. Both
 * sources drop the fraction so that they judge the same instant the same way at the threshold.
 */
export function toWholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
