/**
 * What `JSON.stringify` makes of a value, as a type: Dates become ISO-8601 strings, optional
 * fields stay optional. For the wire form of a payload whose in-memory form holds Dates.
 */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends readonly (infer U)[]
      ? readonly Jsonified<U>[]
      : T extends object
        ? { [K in keyof T]: Jsonified<T[K]> }
        : T;
