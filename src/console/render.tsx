import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** A server-rendered page as a complete HTML document (React escapes every value). */
export function renderPage(page: ReactElement): string {
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}
