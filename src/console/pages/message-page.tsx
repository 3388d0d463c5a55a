import type { ConsoleUser } from '../roles';
import { Layout } from './layout';

/** A page with one message: refused access, not found, signed out, an error with its fix. */
export function MessagePage(props: {
  title: string;
  message: string;
  user?: ConsoleUser;
  csrf?: string;
  link?: { href: string; label: string };
}) {
  return (
    <Layout title={props.title} {...(props.user ? { user: props.user } : {})} {...(props.csrf ? { csrf: props.csrf } : {})}>
      <h1>{props.title}</h1>
      <p data-testid="message">{props.message}</p>
      {props.link ? <a href={props.link.href}>{props.link.label}</a> : null}
    </Layout>
  );
}
