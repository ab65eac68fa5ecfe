/** `text`, cut to `max` characters with an ellipsis when it is longer (a field with a length limit). */
export function fitLength(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
