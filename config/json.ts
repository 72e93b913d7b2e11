/** A JSON object (not an array, not null): what every reader of untyped JSON tests first. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
