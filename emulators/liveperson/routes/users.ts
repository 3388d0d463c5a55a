import { Router } from 'express';
import { requireAuth } from '../http/auth';
import { counted, sendError, servesAccount, type EmulatorContext } from '../http/context';
import { faultInjector } from '../http/faults';

/** Users API (account config, read-only): the only place LivePerson gives agent e-mails. */
export function usersRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  r.get(
    '/api/account/:acct/configuration/le-users/users',
    counted(ctx, 'users'),
    faultInjector(ctx, 'api'),
    requireAuth(ctx),
    (req, res) => {
      if (!servesAccount(ctx, req.params.acct)) return sendError(res, 404, `Account ${String(req.params.acct)} not found`);
      if (typeof req.query.v !== 'string') return sendError(res, 400, 'Query parameter v is required (e.g. v=6.0)');
      const includeDeleted = req.query.include_deleted === 'true';
      const users = ctx.store.tenant.agents
        .filter((a) => includeDeleted || !a.deleted)
        .map((a) => ({
          id: a.id,
          pid: a.pid,
          deleted: a.deleted,
          loginName: a.loginName,
          fullName: a.fullName,
          nickname: a.nickname,
          email: a.email,
          isEnabled: !a.deleted,
          userTypeId: Number(a.userType),
          isApiUser: false,
          profileIds: [1],
          skillIds: [1001, 1002],
          memberOf: { agentGroupId: '-1', assignmentDate: '2024-01-01 00:00:00' },
          managerOf: [],
          dateUpdated: '2024-01-01 00:00:00',
        }));
      // The API key / app user the archiver itself runs as: present in real accounts, never in a conversation.
      users.push({
        id: '9999999',
        pid: '00000000-0000-4000-a000-000000000000',
        deleted: false,
        loginName: 'lp-archive-app',
        fullName: 'Archive App',
        nickname: 'Archive',
        email: `noreply@${ctx.store.tenant.domain}`,
        isEnabled: true,
        userTypeId: 1,
        isApiUser: true,
        profileIds: [],
        skillIds: [],
        memberOf: { agentGroupId: '-1', assignmentDate: '2024-01-01 00:00:00' },
        managerOf: [],
        dateUpdated: '2024-01-01 00:00:00',
      });
      res.setHeader('ac-revision', '42');
      res.json(users);
    },
  );
  return r;
}
