/** Reads CHAPAR_CONFIG_DIR from disk. Node only (Workers apply config through the API or a build step). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type ConfigDocument } from './sync.ts';

/** Every `*.json` file in the folder except the schema, in name order. A missing folder is no config. */
export async function readConfigDir(dir: string): Promise<ConfigDocument[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const documents: ConfigDocument[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    try {
      documents.push({ file: name, data: JSON.parse(text) });
    } catch (error) {
      throw new ConfigError(`config: ${name}: not valid JSON (${(error as Error).message})`, [{ field: name, message: 'not valid JSON' }]);
    }
  }
  return documents;
}
