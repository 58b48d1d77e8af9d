import pg from 'pg';

/** The server's maintenance database; the benchmarks create and drop their own databases through it. */
export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const checked = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${JSON.stringify(name)}`);
  return name;
};

/** Drops `name` if it exists and creates it empty; returns its URL. */
export async function recreateDatabase(name: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${checked(name)}`);
  });
  return urlOf(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`));
}

export async function databaseExists(name: string): Promise<string | null> {
  const found = await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [checked(name)]));
  return found.rowCount ? urlOf(name) : null;
}
