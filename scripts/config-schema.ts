// Regenerates feeds/chapar.schema.json from the zod schema (a test fails when they drift).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/admin/config/schema.ts';

writeFileSync(new URL('../feeds/chapar.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
