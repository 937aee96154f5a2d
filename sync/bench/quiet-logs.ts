// Imported first by the benchmark, before any logger exists: its figures own stdout.
process.env.LOG_LEVEL ??= 'warn';
