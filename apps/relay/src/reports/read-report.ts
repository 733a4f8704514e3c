import { simpleParser, type ParsedMail, type StructuredHeader } from 'mailparser';

export interface ReadReportOptions {
  /** RFC 6522 report-type values accepted (lower case). */
  reportTypes: ReadonlySet<string>;
  /** Keep message/delivery-status as an attachment; by default mailparser folds it into the message text. */
  keepDeliveryStatus?: boolean;
  /** Keep a message/rfc822 part as one raw attachment; otherwise mailparser opens an inline one and its header block is lost. */
  ignoreEmbedded?: boolean;
}

/**
 * A multipart/report (RFC 6522) of one of the given report types, parsed by mailparser (its parts are in
 * `attachments`), or null when the message is anything else. Anyone on the internet can send a report, so bytes
 * mailparser cannot read are simply not one: this never throws.
 */
export async function readReport(raw: Buffer, options: ReadReportOptions): Promise<ParsedMail | null> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      keepDeliveryStatus: options.keepDeliveryStatus ?? false,
      ignoreEmbedded: options.ignoreEmbedded ?? false,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      checksumAlgo: false,
    });
  } catch {
    return null;
  }
  // mailparser always parses Content-Type into a StructuredHeader (its HeaderValue documentation).
  const contentType = parsed.headers.get('content-type') as StructuredHeader | undefined;
  const reportType = contentType?.params['report-type']?.toLowerCase();
  const isReport = contentType?.value.toLowerCase() === 'multipart/report' && reportType !== undefined && options.reportTypes.has(reportType);
  return isReport ? parsed : null;
}
