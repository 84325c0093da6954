// Types for the Blanche embed SDK (embed.js / embed.global.js).
// The message protocol is described in PROTOCOL.md.

/** Version of the message protocol this SDK speaks; messages of other versions are ignored. */
export declare const PROTOCOL_VERSION: 1;

export type DocumentKind = "invoice" | "credit_note" | "deposit_invoice" | "quote";
export type DocumentStatus = "draft" | "finalized";

/** Amounts are decimal strings with two decimals ("1234.50"), never floats. */
export interface Totals {
  currency: string;
  tax_exclusive: string;
  vat: string;
  tax_inclusive: string;
  amount_due: string;
}

export interface ReadyPayload {
  /** null while a new document has not been saved yet. */
  document_id: string | null;
  kind: DocumentKind;
  locale: string;
}

export interface ResizePayload {
  /** Height of the editor's content in CSS pixels. */
  height: number;
}

export interface DocumentCreatedPayload {
  document_id: string;
  kind: DocumentKind;
}

export interface DocumentSavedPayload {
  document_id: string;
  kind: DocumentKind;
  status: DocumentStatus;
  /** The document number once finalized (quotes: once numbered), else null. */
  number: string | null;
  /** ISO 8601 date-time with offset. */
  saved_at: string;
  totals: Totals;
}

export interface DocumentFinalizedPayload {
  document_id: string;
  kind: Exclude<DocumentKind, "quote">;
  number: string;
  /** ISO 8601 date (YYYY-MM-DD). */
  issue_date: string;
  totals: Totals;
}

export interface ContactCreatedPayload {
  contact_id: string;
  name: string;
}

export interface ValidationChangedPayload {
  /** True when the document has no error left (warnings allowed). */
  valid: boolean;
  errors: number;
  warnings: number;
}

export interface SessionExpiredPayload {
  reason: "expired" | "revoked";
}

export interface ErrorPayload {
  /** Stable machine code, e.g. "save_failed". */
  code: string;
  /** Human-readable, in the session's locale. */
  message: string;
}

export interface BlancheEventMap {
  ready: ReadyPayload;
  resize: ResizePayload;
  "document.created": DocumentCreatedPayload;
  "document.saved": DocumentSavedPayload;
  "document.finalized": DocumentFinalizedPayload;
  "contact.created": ContactCreatedPayload;
  "validation.changed": ValidationChangedPayload;
  "session.expired": SessionExpiredPayload;
  error: ErrorPayload;
}

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
