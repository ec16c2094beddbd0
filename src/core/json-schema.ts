/** JSON Schema fragments shared by every options schema (plan files, scenario options). */
export type JsonSchema = Record<string, unknown>;

export const durationSchema = { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$', description: 'a duration such as 500ms, 10s, 2m' } as const;
export const percentSchema = { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$', description: 'a percentage such as 2%' } as const;
export const nonEmptyStringsSchema = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 } as const;
