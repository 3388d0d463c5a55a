import { Router } from 'express';
import { counted, sendError, servesAccount, type EmulatorContext } from '../http/context';

export const CSDS_SERVICES = ['msgHist', 'engHistDomain', 'sentinel', 'accountConfigReadOnly', 'swift', 'fms', 'agentVep'] as const;

/** Domain API: every service lives on this emulator, so every baseURI is our own bare `host:port`. */
export function csdsRoutes(ctx: EmulatorContext): Router {
  const r = Router();
  r.use('/api/account/:acct/service', counted(ctx, 'csds'));

  r.get('/api/account/:acct/service/baseURI.json', (req, res) => {
    if (!checkAccount(ctx, req.params.acct, res) || !checkVersion(req.query.version, res)) return;
    res.json({ baseURIs: CSDS_SERVICES.map((service) => ({ service, account: req.params.acct, baseURI: ctx.hostPort })) });
  });

  r.get('/api/account/:acct/service/:name/baseURI.json', (req, res) => {
    if (!checkAccount(ctx, req.params.acct, res) || !checkVersion(req.query.version, res)) return;
    const name = req.params.name;
    if (!(CSDS_SERVICES as readonly string[]).includes(name))
      return sendError(res, 404, `Unknown service name '${name}' (names are case-sensitive)`);
    res.json({ service: name, account: req.params.acct, baseURI: ctx.hostPort });
  });
  return r;
}

function checkAccount(ctx: EmulatorContext, acct: string, res: import('express').Response): boolean {
  if (servesAccount(ctx, acct)) return true;
  sendError(res, 404, `Account ${String(acct)} not found`);
  return false;
}

function checkVersion(v: unknown, res: import('express').Response): boolean {
  if (v === '1.0') return true;
  sendError(res, 400, 'Query parameter version=1.0 is required');
  return false;
}
