import { type ReactNode, useEffect } from 'react';

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Smarthost`;
  }, [title]);
  return (
    <main id="main" className="auth">
      <p className="brand">Smarthost</p>
      <section className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
