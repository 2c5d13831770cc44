// What a person sees, as platform-neutral data: the session card, private messages, forms.
// Adapters only render these (an embed, an HTML message, terminal lines); they never decide.

export type Tone = "waiting" | "action" | "success" | "danger" | "neutral";

export type Block =
  | { kind: "text"; text: string }
  | { kind: "field"; label: string; value: string }
  | { kind: "check"; label: string; done: boolean }
  /** Text to copy as it is: a command, a script. `shell` says which shell it is written for. */
  | { kind: "code"; text: string; shell?: "posix" | "powershell" | "json" | "log" };

/** What a button does. Adapters encode `${sessionId}:${action}` (and its `target`) as an opaque id. */
export type Action =
  | "claim"
  | "enterCredentials"
  | "autofill"
  | "cancel"
  | "approveRequest"
  | "rejectRequest"
  | "reissueLink"
  | "approveDevice"
  | "rejectDevice"
  | "approveCapability"
  | "rejectCapability"
  | "narrowCapability"
  | "confirmCredentials"
  | "reveal"
  | "confirmDisconnect"
  | "cancelDisconnect";

export type Button =
  | {
      kind: "action";
      action: Action;
      label: string;
      style: "primary" | "success" | "danger" | "secondary";
      /**
       * For an approval: the digest of the request details this message shows (`src/core/subject.ts`). Adapters
       * carry it in the button's id and hand it back with the press, so the click acts on exactly what was shown.
       */
      target?: string;
    }
  /** Opens a page (the gateway's WebUI); carries no action. */
  | { kind: "link"; label: string; url: string }
  /**
   * Opens a private chat with the bot for one person (Telegram deep link), or, where the
   * platform can answer privately in place (Discord ephemeral), the adapter turns it into an
   * action button for `action`.
   */
  | { kind: "private"; label: string; action: Action; for: { platform: string; id: string } };

export interface MessageView {
  /** The session its buttons act on; adapters put it in each button's opaque id. */
  sessionId?: string;
  title: string;
  tone: Tone;
  blocks: Block[];
  buttons: Button[];
  /**
   * A short answer to the person who acted: "brief" confirms (Telegram: a toast that fades), "refusal" says no and why
   * (Telegram: an alert that stays until dismissed). Decided in core from the notice's key, never from its text.
   */
  notice?: "brief" | "refusal";
}

/**
 * The bot's commands as people type them on one platform (Telegram allows only `[a-z0-9_]`: `/connect_node`). Each
 * adapter declares its own; hints in the card and in answers name the command this way.
 */
export interface CommandNames {
  connectNode: string;
  diagnose: string;
  /** Absent: spelled as on Discord and the console (`/nodes`, `/disconnect-node`). */
  nodes?: string;
  disconnectNode?: string;
}

export interface FormField {
  name: "host" | "port" | "fingerprint" | "token";
  label: string;
  placeholder: string;
  /** Pre-filled value; never set for the token. */
  value?: string;
  secret: boolean;
  required: boolean;
}

export interface FormView {
  title: string;
  intro: string;
  fields: FormField[];
}
