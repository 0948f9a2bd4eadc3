// Small readers of values nobody vouches for: JSON that may not parse, objects that may not be
// objects, counts that may not be counts, and errors that may not be Errors.

/** The parsed value, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object (not an array) with a `length` member. zod runs its length checks on any value that has
 * one, even a value of the wrong type, and a length that does not convert to a number
 * (`{"toString": 1}`) throws out of safeParse: schemas of untrusted JSON refuse such values first.
 */
export function hasLengthMember(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, 'length');
}

/** The value when it is a positive safe integer, else undefined. */
export function positiveInt(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined;
}

/** What went wrong, as a line of text, whatever was thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
