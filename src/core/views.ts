// Renders a session as what people see: the channel card, each private message, notices and the credentials form.
// The card is for everyone in the channel, so it never reveals a secret; only the node operator's messages do.
// This file is the one place the rest of the bot imports views from; each lives in views/, one file per thing shown.

export { cardView } from "./views/card.ts";
export { diagnosisView } from "./views/diagnosis.ts";
export { credentialsForm } from "./views/form.ts";
export { dmView } from "./views/messages.ts";
export { helpView, noticeText, noticeView } from "./views/notices.ts";
export {
  commandsOn,
  formatDuration,
  langOf,
  shortFingerprint,
  type ViewContext,
} from "./views/shared.ts";
