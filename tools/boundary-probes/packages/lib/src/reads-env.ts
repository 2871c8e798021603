// PROBE only-config-reads-env: process.env read outside a config.ts.
export const port = process.env.PORT;
