import { NavLink } from 'react-router-dom';

/** The message log's two halves: what the relay accepted, and what it refused. */
export function LogTabs() {
  return (
    <nav aria-label="Message log" className="tabs">
      <NavLink to="/messages" end>Accepted</NavLink>
      <NavLink to="/messages/rejected">Rejected</NavLink>
    </nav>
  );
}
