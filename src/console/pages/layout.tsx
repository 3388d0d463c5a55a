import type { ReactNode } from 'react';
import type { ConsoleUser } from '../roles';

const CSS = `
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{display:flex;align-items:center;gap:1rem;padding:.7rem 1.5rem;background:#1f3a5f;color:#fff}
header a{color:#fff;text-decoration:none;font-weight:600}header .who{margin-left:auto;font-size:.9rem}
header form{display:inline}header button{background:none;border:1px solid #fff;color:#fff;border-radius:3px;padding:.2rem .6rem;cursor:pointer}
main{padding:1.2rem 1.5rem;max-width:80rem}
table{border-collapse:collapse;background:#fff;margin:.6rem 0 1.4rem;width:100%}
th,td{border:1px solid #d5d9de;padding:.35rem .6rem;text-align:left;font-size:.92rem;vertical-align:top}
th{background:#eef1f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.state{display:inline-block;padding:.05rem .45rem;border-radius:3px;background:#e3e7eb;font-size:.85rem}
.state-live{background:#d4f0dc}.state-paused{background:#fff1c2}.state-failing,.state-needs-credentials{background:#f8d0d0}
.state-throttled,.state-catching-up,.state-starting{background:#dbe8fb}
.flash{padding:.6rem .9rem;background:#e7f3ff;border:1px solid #9cc3ee;margin-bottom:1rem}
.error{padding:.6rem .9rem;background:#fdecec;border:1px solid #e6a4a4;margin-bottom:1rem}
.actions form{display:inline-block;margin-right:.5rem}button.action,a.button,button.download{padding:.35rem .9rem;border:1px solid #1f3a5f;background:#fff;color:#1f3a5f;border-radius:3px;cursor:pointer;font-size:.92rem;text-decoration:none}
button.download{background:#1f3a5f;color:#fff}
.muted{color:#666;font-size:.88rem}
`;

/** The page frame: header with the signed-in user and a sign-out button (a POST with the CSRF token). */
export function Layout(props: { title: string; user?: ConsoleUser; csrf?: string; children: ReactNode }) {
  const { user } = props;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · lp-archive console`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header>
          <a href="/">lp-archive console</a>
          {user ? (
            <span className="who">
              <span data-testid="user">{user.name}</span> ({user.role ?? 'no access'}){' '}
              {props.csrf ? (
                <form method="post" action="/auth/logout">
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  <button type="submit">Sign out</button>
                </form>
              ) : null}
            </span>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A connector state as a coloured label. */
export function StateLabel(props: { state?: string }) {
  return <span className={`state state-${props.state ?? 'unknown'}`}>{props.state ?? 'unknown'}</span>;
}

/** `61 s`, `12 min`, `3.5 h`. */
export function formatLag(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** ISO time without milliseconds, in UTC. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC` : iso;
}
