/** The CLI's one view of the environment. */
export const env: Record<string, string | undefined> = process.env;
