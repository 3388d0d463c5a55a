import { Router, type Request, type Response } from 'express';
import { findUser, page, requireDirectoryRead, type EmulatorContext } from '../context';
import { userFullJson, userJson, type DirectoryUser } from '../directory';
import { GraphHttpError } from '../errors';
import { FilterError, parseSelect, parseUserFilter, project, type UserFilterClause } from '../odata';

function matches(u: DirectoryUser, c: UserFilterClause): boolean {
  const v = c.value.toLowerCase();
  if (c.kind === 'proxyAddress') return u.proxyAddresses.some((p) => p.toLowerCase() === v);
  const actual = String(u[c.property]).toLowerCase();
  return c.kind === 'eq' ? actual === v : actual.startsWith(v);
}

function render(u: DirectoryUser, select: string[] | undefined): Record<string, unknown> {
  return select ? project(userFullJson(u), select) : userJson(u);
}

/** `GET /users/{id | userPrincipalName}` and `GET /users?$filter=…`. */
export function usersRouter(ctx: EmulatorContext): Router {
  const r = Router();
  r.get('/users', requireDirectoryRead, (req: Request, res: Response) => {
    const select = parseSelect(req.query.$select);
    let users: readonly DirectoryUser[] = ctx.users;
    if (typeof req.query.$filter === 'string') {
      let clauses: UserFilterClause[];
      try {
        clauses = parseUserFilter(req.query.$filter);
      } catch (e) {
        if (e instanceof FilterError) throw new GraphHttpError(400, 'Request_UnsupportedQuery', e.message);
        throw e;
      }
      users = users.filter((u) => clauses.some((c) => matches(u, c)));
    }
    const { value, nextLink } = page(req, users, 100, ctx);
    res.json({
      '@odata.context': `${ctx.url}/v1.0/$metadata#users`,
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
      value: value.map((u) => render(u, select)),
    });
  });
  r.get('/users/:userRef', requireDirectoryRead, (req: Request, res: Response) => {
    const ref = String(req.params.userRef);
    const user = findUser(ctx, ref);
    if (!user) {
      throw new GraphHttpError(
        404,
        'Request_ResourceNotFound',
        `Resource '${ref}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    res.json({ '@odata.context': `${ctx.url}/v1.0/$metadata#users/$entity`, ...render(user, parseSelect(req.query.$select)) });
  });
  return r;
}
