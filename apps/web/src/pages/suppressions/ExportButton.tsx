import { useState } from 'react';
import { ApiError } from '../../api/api-error';
import { useCurrentTenant } from '../../session/tenant-query';

/**
 * The export needs the x-tenant-id header, which a plain link cannot send: fetch it, then hand the browser the file.
 */
export function ExportButton() {
  const { api } = useCurrentTenant();
  const [error, setError] = useState<string | null>(null);
  async function download() {
    setError(null);
    try {
      const { data, error: body, response } = await api.GET('/v1/suppressions/export', { parseAs: 'blob' });
      if (!response.ok || !data) throw ApiError.fromResponse(response, body);
      const url = URL.createObjectURL(data);
      const link = Object.assign(document.createElement('a'), { href: url, download: 'suppressions.csv' });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The export failed. Try again.');
    }
  }
  return (
    <>
      <button type="button" className="button-secondary" onClick={download}>Export CSV</button>
      {error && <p role="alert" className="field-error">{error}</p>}
    </>
  );
}
