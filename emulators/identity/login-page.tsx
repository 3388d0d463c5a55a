import { renderToStaticMarkup } from 'react-dom/server';
import type { DevUser } from './users';

interface LoginPageProps {
  readonly action: string;
  readonly abortUrl: string;
  readonly clientId: string;
  readonly users: readonly DevUser[];
  readonly error?: string;
  readonly username?: string;
}

/** The dev provider's sign-in form; the seeded users and their dev passwords are listed beside it. */
function LoginPage(p: LoginPageProps) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>lp-archive dev sign-in</title>
        <style>{`body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;color:#222}
label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.error{color:#a00}
table{border-collapse:collapse;margin-top:2rem;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}`}</style>
      </head>
      <body>
        <h1>Sign in to the lp-archive dev identity provider</h1>
        <p>
          Application: <code>{p.clientId}</code>. Development only: never use these accounts outside the local stack.
        </p>
        {p.error ? (
          <p className="error" role="alert">
            {p.error}
          </p>
        ) : null}
        <form method="post" action={p.action} autoComplete="off">
          <label htmlFor="username">User name</label>
          <input id="username" name="username" type="text" required defaultValue={p.username ?? ''} />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" required />
          <button type="submit">Sign in</button> <a href={p.abortUrl}>Cancel</a>
        </form>
        <table>
          <thead>
            <tr>
              <th>User name</th>
              <th>Password</th>
              <th>Groups</th>
            </tr>
          </thead>
          <tbody>
            {p.users.map((u) => (
              <tr key={u.sub}>
                <td>{u.username}</td>
                <td>{u.password}</td>
                <td>{u.groups.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </body>
    </html>
  );
}

/** The login page as a complete HTML document. */
export function renderLoginPage(p: LoginPageProps): string {
  return `<!doctype html>${renderToStaticMarkup(<LoginPage {...p} />)}`;
}
