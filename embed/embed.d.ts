// Types for the Blanche embed SDK (embed.js / embed.global.js).
// The message protocol is described in PROTOCOL.md.

/** Version of the message protocol this SDK speaks; messages of other versions are ignored. */
export declare const PROTOCOL_VERSION: 1;

// BEGIN GENERATED EVENTS (python -m embed.contract; source: embed/events/)
export type DocumentKind = "invoice" | "credit_note" | "deposit_invoice" | "quote";

/** The document's status: draft, finalized, sent, partially_paid, paid, cancelled; quotes also accepted, refused, expired (more may be added in version 1). */
export type DocumentStatus = string;

/** A decimal string with two decimals ("1234.50"), never a float. */
export type Amount = string;

/** The document's totals. */
export interface Totals {
  currency: string;
  tax_exclusive: Amount;
  vat: Amount;
  tax_inclusive: Amount;
  amount_due: Amount;
}

/** Posted when the editor is loaded and its session is valid. */
export interface ReadyPayload {
  /** null for a new document not stored yet. */
  document_id: number | null;
  kind: DocumentKind;
  status: DocumentStatus;
  /** The editor's language. */
  locale: "fr" | "en";
}

/** Posted when the editor's content height changed. */
export interface ResizePayload {
  /** CSS pixels; the SDK sets the iframe height to max(minHeight, ceil(height)). */
  height: number;
}

/** Posted when a new document got its id (first autosave or save of a new draft, a duplicate, a credit note, a conversion). */
export interface DocumentCreatedPayload {
  document_id: number;
  /** Same as document_id (the first name this field had; kept in version 1). */
  id: number;
  kind: DocumentKind;
  /** The document it was made from (duplicate, credit note, conversion, final invoice). */
  source_id?: number;
}

/** Posted when the user saved (the button; autosaves post nothing). */
export interface DocumentSavedPayload {
  document_id: number;
  /** Same as document_id (the first name this field had; kept in version 1). */
  id: number;
  kind: DocumentKind;
  status: DocumentStatus;
  /** The number once issued, else null. */
  number: string | null;
  /** No error left, official check included. */
  valid: boolean;
  /** ISO 8601 date-time with offset. */
  saved_at: string;
  totals: Totals;
  currency: string;
  /** Same as totals.tax_exclusive (kept in version 1). */
  tax_exclusive_amount: Amount;
  /** Same as totals.vat (kept in version 1). */
  vat_amount: Amount;
  /** Same as totals.tax_inclusive (kept in version 1). */
  tax_inclusive_amount: Amount;
  /** Same as totals.amount_due (kept in version 1). */
  amount_due: Amount;
}

/** Posted when an invoice, credit note or deposit invoice got its number and became immutable. */
export interface DocumentFinalizedPayload {
  document_id: number;
  /** Same as document_id (the first name this field had; kept in version 1). */
  id: number;
  kind: DocumentKind;
  number: string;
  issue_date: string;
  totals: Totals;
}

/** Posted when the user deleted a draft or a quote. */
export interface DocumentDeletedPayload {
  document_id: number;
  kind: DocumentKind;
}

/** Posted when the user sent the issued document by email from the editor (its Factur-X PDF attached). */
export interface DocumentSentPayload {
  document_id: number;
  kind: DocumentKind;
  /** The document's number. */
  number: string;
  /** The document's status after it: a finalized document becomes sent. */
  status: DocumentStatus;
  channel: "email";
  /** The recipients' addresses. */
  to: unknown;
  /** The email's subject. */
  subject: string;
}

/** Posted when a payment was recorded on an issued invoice. */
export interface PaymentRecordedPayload {
  document_id: number;
  kind: DocumentKind;
  /** The invoice's status after it: partially_paid or paid. */
  status: DocumentStatus;
  /** The payment's amount. */
  amount: Amount;
  paid_on: string;
  /** UNTDID 4461 code (30 transfer, 58 SEPA transfer, 48 card, 10 cash...), null when not said. */
  means_code: string | null;
  currency: string;
  /** What is left to pay after it. */
  balance: Amount;
}

/** Posted when the editor shows a new lifecycle status of an issued invoice from the company's plateforme agréée (200 Déposée, 205 Approuvée, 210 Refusée, 212 Encaissée, 213 Rejetée...), once per status while the editor is open. */
export interface DocumentLifecyclePayload {
  document_id: number;
  /** The CDAR status code (200-214). */
  code: string;
  /** The status's French name (Déposée, Approuvée...). */
  label: string;
  /** When the status was given: ISO 8601 date-time with its zone. */
  at: string;
  /** Who gave the status. */
  issuer: "platform" | "buyer" | "seller";
  /** The reason given (refusals, rejections), else null. */
  reason: string | null;
}

/** Posted when the user created a customer inline. */
export interface ContactCreatedPayload {
  contact_id: number;
  /** Same as document_id (the first name this field had; kept in version 1). */
  id: number;
  kind: "person" | "company";
  name: string;
}

/** Posted when the count of errors or warnings changed. */
export interface ValidationChangedPayload {
  /** No error left (warnings allowed). */
  valid: boolean;
  errors: number;
  warnings: number;
}

/** Posted when the editor token expired or was revoked: mint a new URL and mount again. */
export interface SessionExpiredPayload {
  reason: "expired" | "revoked";
}

/** Posted when something the host may want to show or log. */
export interface ErrorPayload {
  /** Stable machine code, e.g. "not_available". */
  code: string;
  /** In the session's language; may be empty. */
  message: string;
  /** The server's own words (English, for developers' logs), when it refused an action. */
  detail?: string;
}

export interface BlancheEventMap {
  ready: ReadyPayload;
  resize: ResizePayload;
  "document.created": DocumentCreatedPayload;
  "document.saved": DocumentSavedPayload;
  "document.finalized": DocumentFinalizedPayload;
  "document.deleted": DocumentDeletedPayload;
  "document.sent": DocumentSentPayload;
  "payment.recorded": PaymentRecordedPayload;
  "document.lifecycle": DocumentLifecyclePayload;
  "contact.created": ContactCreatedPayload;
  "validation.changed": ValidationChangedPayload;
  "session.expired": SessionExpiredPayload;
  error: ErrorPayload;
}
// END GENERATED EVENTS

export type BlancheEventType = keyof BlancheEventMap;

/** What listeners receive: one member per event type. */
export type BlancheEvent = {
  [K in BlancheEventType]: Readonly<{ type: K; payload: BlancheEventMap[K] }>;
}[BlancheEventType];

/** A message as the editor posts it to the host page. */
export type BlancheMessage = {
  [K in BlancheEventType]: {
    source: "blanche";
    version: typeof PROTOCOL_VERSION;
    type: K;
    payload: BlancheEventMap[K];
  };
}[BlancheEventType];

export declare const EVENT_TYPES: readonly BlancheEventType[];

export type BlancheListener<K extends BlancheEventType> = (
  payload: BlancheEventMap[K],
  event: Extract<BlancheEvent, { type: K }>,
) => void;

export interface MountOptions {
  /** The editor URL minted by POST /api/v1/editor-sessions (token in the fragment). */
  url: string;
  /** Called for every event, before the listeners added with `on`. */
  onEvent?: (event: BlancheEvent) => void;
  /** The iframe is never shorter than this (CSS pixels, default 0). */
  minHeight?: number;
  /** The iframe's accessible name (default "Editor"). */
  title?: string;
}

export interface BlancheHandle {
  readonly iframe: HTMLIFrameElement;
  /** The editor origin, derived from `url`: only its messages are accepted. */
  readonly origin: string;
  /** Adds a listener; returns a function that removes it. Unknown types throw. */
  on<K extends BlancheEventType>(type: K, listener: BlancheListener<K>): () => void;
  off<K extends BlancheEventType>(type: K, listener: BlancheListener<K>): void;
  /** Removes the iframe, the message listener and every event listener. */
  unmount(): void;
}

export declare function mount(element: Element, options: MountOptions): BlancheHandle;

export interface BlancheSdk {
  readonly mount: typeof mount;
  readonly PROTOCOL_VERSION: typeof PROTOCOL_VERSION;
  readonly EVENT_TYPES: typeof EVENT_TYPES;
}

declare const Blanche: BlancheSdk;
export default Blanche;

declare global {
  interface Window {
    /** Set by the plain-script build, embed.global.js. */
    Blanche?: BlancheSdk;
  }
}
