import pg from 'pg';

const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResults = pg.QueryResult | pg.QueryResult[];

/**
 * A pg client that reports Postgres `"char"` columns as text.
 *
 * The schema engine's introspection reads catalog columns of type `"char"` (OID 18, e.g.
 * pg_class.relkind), and adapter-pg rejects that type as unsupported. Its values arrive as text
 * anyway, so relabelling the field is enough. adapter-pg queries through the pool (callback form)
 * and through checked-out clients inside transactions (promise form): both are covered.
 */
export class CharAsTextClient extends pg.Client {
  // pg's overloads cannot be restated one by one in a subclass; the wrapper forwards every form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.length - 1;
    const callback: unknown = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: Error | null, result: QueryResults) => callback(error, result && relabel(result));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return isPromise(returned) ? returned.then(relabel) : returned;
  }
}

function isPromise(value: unknown): value is Promise<QueryResults> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function';
}

function relabel(results: QueryResults): QueryResults {
  for (const result of Array.isArray(results) ? results : [results]) {
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return results;
}
