// Strings of the handshake: the card, private messages, notices, the form and validation.
// A template's `{name}` parameters are filled by t(); none of them is ever a secret.

export const messagesEn = {
  "card.title": "Connect node “{name}”",
  "card.nodeOperator": "Node operator",
  "card.gatewayOperator": "Gateway operator",
  "card.mode": "Enrolment",
  "card.mode.setupLink": "setup link (no shared token leaves the gateway)",
  "card.mode.sharedToken": "shared token (host, port, fingerprint, token)",
  "card.fallback": "Setup links are not available: {reason}.",
  "card.pairingRequest": "Pairing request",
  "card.reason": "Reason",
  "card.quorum": "{count} of {required} approvals",
  "card.waited": "Waiting for approvers for {elapsed}.",
  "card.approvedBy": "✔ {step} approved by {name}",
  "card.rejectedBy": "✘ {step} rejected by {name}",
  "card.elsewhere": "the gateway's WebUI or CLI",
  "card.lastError": "⚠ The last gateway action failed: {error}. An approver can try again.",
  "card.preflightFailed":
    "⚠ The gateway check failed, so nothing was sent: {problem} {gatewayOperator} can enter the details again.",
  "card.lastDiagnosis": "Last log diagnosis",
  "card.sentByDm": "Sent to {name} by private message.",
  "card.dmClosed":
    "{name}'s private messages are closed: the “{button}” button shows {name} what is meant for them, privately.",

  "step.request": "Request",
  "step.device": "Device pairing",
  "step.capability": "Node commands",

  "stage.awaitingApproval": "Waiting for an approver to approve this request (by private message).",
  "stage.minting": "Approved. Creating a single-use setup link…",
  "stage.linkSent":
    "Setup link sent to {nodeOperator}; it expires in {minutes} min. Waiting for the node to use it.",
  "stage.linkExpired": "The setup link expired unused. An approver can issue a new one.",
  "stage.linkUncertain":
    "The gateway used up the setup link but could not confirm the node received it. An approver can issue a new one.",
  "stage.redeemed": "The node used its setup link. Waiting for it to show as connected.",
  "stage.awaitingGatewayOperator": "Waiting for a gateway operator to take this request.",
  "stage.awaitingCredentials": "{gatewayOperator} is entering the gateway's details privately.",
  "stage.preflight": "Checking the gateway's certificate at the given address…",
  "stage.credentialsSent":
    "Credentials sent to {nodeOperator}. Waiting for the node to reach the gateway.",
  "stage.devicePairingPending":
    "The node asked to pair. Waiting for an approver (private message or WebUI).",
  "stage.awaitingRerun": "Device approved. {nodeOperator} must run the node command again.",
  "stage.awaitingRerun.checking":
    "Device approved. Waiting a few seconds for the node to carry on by itself; if it has paused, {nodeOperator} will be asked to run it again.",
  "stage.capabilityPending":
    "The node asks for its commands. Waiting for an approver (private message or WebUI).",
  "stage.verifying": "Approved. Waiting for the gateway to show the node connected.",
  "stage.connected": "✅ Node “{name}” is connected ({elapsed}).",
  "stage.cancelled": "Cancelled.",
  "stage.expired": "Expired before the node connected.",
  "card.startOver": "Run {connectNode} again to start over.",
  "stage.failed": "Stopped: {reason}.",

  "failure.requestRejected": "an approver rejected the request",
  "failure.deviceRejected": "the device pairing was rejected",
  "failure.capabilityRejected": "the node's commands were rejected",
  "failure.gatewayError": "no setup link could be made: {problem}",
  "failure.secretLost": "the bot no longer holds the secret",

  "problem.noGateway": "the bot has no connection to the gateway",
  "problem.loopbackOnly":
    "the gateway listens only on its own machine, so a setup link would lead nowhere",
  "problem.authModeNone": "the gateway uses neither a token nor a password, which setup links need",
  "problem.unauthorized": "the gateway did not accept the bot's credentials",
  "problem.botNotPaired": "the bot's own device still waits for approval on the gateway",
  "problem.timeout": "the gateway did not answer in time",
  "problem.notConnected": "the bot is not connected to the gateway right now",
  "problem.other": "the gateway could not do it",

  "check.requestApproved": "An approver said yes",
  "check.linkSent": "Setup link sent privately",
  "check.linkSent.waiting": "Setup link ready, waiting for {name} to open it",
  "check.linkSent.shown": "Setup link shown to {name} privately",
  "check.linkSent.withdrawn": "Setup link sent privately, then withdrawn",
  "check.linkRedeemed": "Node used the link",
  "check.connected": "Node connected",
  "check.gatewayOperator": "Gateway operator found",
  "check.preflight": "Certificate checked at host:port",
  "check.credentialsSent": "Credentials sent privately",
  "check.credentialsSent.waiting": "Credentials ready, waiting for {name} to open them",
  "check.credentialsSent.shown": "Credentials shown to {name} privately",
  "check.credentialsSent.withdrawn": "Credentials sent privately, then withdrawn",
  "check.deviceApproved": "Device pairing approved",
  "check.capabilityApproved": "Node commands approved",

  "button.claim": "I'm the gateway operator",
  "button.enterCredentials": "Enter gateway details",
  "button.autofill": "Fill from this gateway",
  "button.confirmCredentials": "Send these to the node operator",
  "button.editCredentials": "Edit",
  "button.reveal": "Show my credentials",
  "button.webUi": "Open the WebUI",
  "button.cancel": "Cancel",
  "button.approveDevice": "Approve device",
  "button.approveCapability": "Approve commands",
  "button.reject": "Reject",
  "button.reissueLink": "New link",

  "field.host": "Gateway host",
  "field.port": "Port",
  "field.fingerprint": "TLS fingerprint (SHA-256)",
  "field.token": "Gateway token",
  "field.displayName": "Display name",
  "field.reason": "Reason",
  "field.requestId": "Request id",
  "field.deviceId": "Device id",
  "field.remoteIp": "Connecting from",
  "field.platform": "Platform",
  "field.commands": "Commands asked for",
  "origin.where": "Asked in",
  "origin.who": "Asked by",
  "origin.server": "server “{name}” (id {id})",
  "origin.group": "group “{name}” (id {id})",
  "origin.channel": "#{name} (id {id})",
  "origin.topic": "topic “{name}” (id {id})",
  "origin.topicId": "topic id {id}",
  "origin.chatId": "chat id {id}",
  "origin.byHandle": "{name} (username {handle}, id {id})",
  "origin.byId": "{name} (id {id})",

  "placeholder.host": "gateway.example.com or 203.0.113.50",
  "placeholder.port": "18789",
  "placeholder.fingerprint":
    "openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
  "placeholder.token": "$OPENCLAW_GATEWAY_TOKEN or gateway.auth.token",

  "form.title": "Gateway details for “{name}”",
  "form.intro":
    "Only {nodeOperator} will see these, by private message. The bot checks the certificate at host:port before sending anything.",

  "dm.approvalRequest.title": "Approve a new node “{name}”?",
  "dm.approvalRequest.body":
    "{requester} asks to connect a node named “{name}”; {nodeOperator} will run it.",
  "dm.approvalRequest.grants":
    "If you approve, the bot creates a single-use setup link (valid 10 minutes) and sends it to the node operator privately. A node enrolled with it is approved at once, with the commands you choose below: approve only if you trust this person with that.",
  "dm.setupLink.title": "Your setup link for “{name}”",
  "dm.setupLink.body":
    "Run this on the node machine within {minutes} min. The link works once and carries the gateway's address and certificate pin; don't share it.",
  "dm.setupLink.service": "Or, to install the node as a permanent service:",
  "dm.setupLink.powershell": "On Windows (PowerShell):",
  "dm.linkExpired.title": "The setup link for “{name}” expired",
  "dm.linkExpired.body": "Nobody used the link in time. Issue a new one for {nodeOperator}?",
  "dm.linkUncertain.title": "The setup link for “{name}” may not have arrived",
  "dm.linkUncertain.body":
    "The gateway used up the link, but could not confirm that the node received its credentials. If the node is not connected, issue a new link for {nodeOperator}?",
  "dm.credentials.title": "Connect your node “{name}”",
  "dm.credentials.body":
    "{gatewayOperator} shared the gateway's details with you, checked against the live gateway. The token is below: keep it private.",
  "dm.credentials.run": "Run this on the node machine (bash/zsh):",
  "dm.credentials.powershell": "On Windows (PowerShell):",
  "dm.credentials.install":
    "To install the node as a service instead, use `openclaw node install` with the same options. If it prints “pairing required”, wait: an approver will be asked, and you will be told if it must be run again.",
  "dm.confirmCredentials.title": "Send these gateway details for “{name}”?",
  "dm.confirmCredentials.body": "Read from the gateway the bot runs beside. Check them, then send.",
  "dm.confirmCredentials.tokenRead": "read from the gateway (not shown)",
  "dm.preflightFailed.title": "The gateway check failed for “{name}”",
  "dm.preflightFailed.body": "Nothing was sent. At {host}:{port}:",
  "dm.preflightPassed.title": "Matched: sent to {nodeOperator} privately",
  "dm.preflightPassed.body":
    "The certificate at {host}:{port} is the one you entered. {nodeOperator} got the token and the commands to run in a private message.",
  "dm.preflightPassed.titleClosed": "Matched: waiting for {nodeOperator} to open it",
  "dm.preflightPassed.closed":
    "The certificate at {host}:{port} is the one you entered. {nodeOperator}'s private messages are closed: they can see the details privately with the button on the card.",
  "dm.claimRequest.title": "A gateway operator is needed for “{name}”",
  "dm.claimRequest.body":
    "{requester} asks to connect a node named “{name}”; {nodeOperator} will run it. It needs the gateway's host, port, certificate fingerprint and token.",
  "dm.claimRequest.ask":
    "Take it to enter them privately; the bot checks the certificate before anything is sent.",
  "dm.claimRequest.taken": "{gatewayOperator} took this request.",
  "dm.claimRequest.over": "This request has ended.",
  "dm.devicePairing.title": "Approve device pairing for “{name}”?",
  "dm.devicePairing.body": "A node for “{name}” ({nodeOperator}) asks to pair with the gateway.",
  "dm.devicePairing.otherDevice":
    "⚠ A different device, from {ip}, asks under the same name “{name}” as an earlier request (from {earlierIp}). Approve only if you know which machine this is.",
  "dm.replaced":
    "This request was replaced by a newer one with other details (another device, address or command set): see the newer message. This one can no longer be approved.",
  "dm.followed":
    "This request was decided. A newer one with other details (another device, address or command set) came after it under the same name: see the newer message.",
  "dm.devicePairing.grants":
    "Approving pairs this device with the gateway. Its commands are approved in a second step.",
  "dm.capability.title": "Approve the commands of “{name}”?",
  "dm.capability.body": "The node “{name}” is paired and asks for these commands.",
  "dm.capability.grants":
    "These are high-privilege: system.run runs programs on that machine for the gateway.",
  "dm.webUi":
    "Or approve in the WebUI: {url} (the browser will warn about the self-signed certificate; its SHA-256 fingerprint must be {fingerprint}).",
  "dm.rerun.title": "Run the node again for “{name}”",
  "dm.rerun.body":
    "The device was approved. The node stays paused after pairing: stop it (Ctrl+C) and run it again in the same terminal with this command (the gateway token is still set there, so it is not sent again). It will then ask for its commands.",
  "dm.rerun.service": "Installed as a service instead: run `openclaw node restart`.",
  "dm.rerun.done":
    "Not needed any more: the node reached the gateway again (by itself, or after you ran it again). Leave it running.",
  "dm.rerun.ended": "This handshake has ended; there is nothing to run.",
  "dm.connected.title": "“{name}” is connected",
  "dm.connected.body":
    "The gateway shows the node approved and connected ({elapsed}). The secret in your earlier message has been removed.",
  "dm.reminder.title": "Still waiting: “{name}”",
  "dm.reminder.body":
    "The request of {requester} for the node “{name}” has waited {elapsed} for approval. The buttons are in the earlier message about it.",
  "dm.requestApproved.title": "Your request for “{name}” was approved",
  "dm.requestApproved.body": "Approved by {names}. {nodeOperator} gets the next steps privately.",
  "dm.requestRejected.title": "Your request for “{name}” was rejected",
  "dm.requestRejected.body": "{step} rejected by {by}.",
  "dm.requestExpired.title": "Your request for “{name}” expired",
  "dm.requestExpired.body":
    "It was not finished in time. If the node is still needed, ask again with {connectNode}.",
  "dm.requestConnected.title": "“{name}” is connected",
  "dm.requestConnected.body": "The node you asked for is connected ({elapsed}).",
  "dm.redacted.connected": "The node is connected; this message's secret has been removed.",
  "dm.redacted.redeemed": "The setup link has been used; it has been removed from this message.",
  "dm.redacted.linkExpired": "This setup link expired; an approver can issue a new one.",
  "dm.redacted.ended": "This handshake has ended; the secret has been removed.",
  "dm.redacted.lost":
    "The secret is no longer held by the bot (it restarted without the key that sealed it). Ask for it again.",

  "diagnosis.title": "Node log: {code}",
  "help.private":
    "I am clawshake: I help connect a remote OpenClaw node to the gateway, step by step, with no secret in the channel.\n{connectNode} <display name>: ask for a node, in your team's channel or group. Approvals, gateway details and the node's command then come to you privately, here.\n{diagnose}: paste a node's log (what `openclaw node run` printed) and I tell you what went wrong and how to fix it.",
  "diagnosis.earlier": "Earlier in the log: {codes}.",
  "diagnosis.truncated":
    "The log was longer than {mb} MB: only its last {mb} MB were read. If the problem is older, send the part around it.",

  "console.botDevice.restart":
    "The bot's own device waits for approval on the gateway. On the gateway host run: {command}\nThen restart clawshake. Until then it uses the slower openclaw CLI.",
  "console.botDevice.waits":
    "The bot's own device waits for approval on the gateway. On the gateway host run: {command}\nThe bot connects by itself once it is approved.",

  "preflight.refused":
    "Nothing listens there (connection refused). Check the host, the port and the firewall.",
  "preflight.hostNotFound": "The host name does not resolve. Check its spelling.",
  "preflight.timeout": "No answer (timed out). Check the firewall and that the gateway runs.",
  "preflight.notTls":
    "Something answers there, but not TLS. Is gateway.tls.enabled true, and is it the gateway's port?",
  "preflight.fingerprintMismatch":
    "The certificate there is not the one entered. Re-read it on the gateway; it changes when the certificate is regenerated.",
  "preflight.blockedAddress":
    "That address is not allowed for checks (link-local or cloud metadata).",
  "preflight.rateLimited": "Too many checks for this session; wait a minute.",
  "preflight.other": "The check failed: {detail}",
  "preflight.entered": "Entered",
  "preflight.seen": "Seen at the gateway",

  "notice.notAuthorized":
    "You are not allowed to do that here. Ask a gateway admin to add you to the bot's configuration.",
  "notice.forSomeoneElse":
    "This is for {name} only: it holds what {name} needs to connect the node.",
  "notice.cancelNotYours": "Only {names} or an approver can cancel this request.",
  "notice.approveOnlyInDm":
    "Approvals happen in a private message from the bot, never in the channel.",
  "notice.selfApproval": "You can't approve your own request: another approver has to.",
  "notice.alreadyApproved": "Already approved by {by}.",
  "notice.alreadyRejected": "Already rejected by {by}.",
  "notice.sessionOver": "This request has ended ({stage}).",
  "notice.notNow": "That's not possible at this step.",
  "notice.invalidCredentials": "Some values need fixing; nothing was sent:",
  "notice.claimed": "You are the gateway operator for this request.",
  "notice.alreadyClaimed": "{name} is already the gateway operator for this request.",
  "notice.probing": "Checking the gateway's certificate…",
  "notice.approved": "Approved.",
  "notice.approvalCounted":
    "Your approval counts: {count} of {required} approvals. It goes ahead at {required}.",
  "notice.rejected": "Rejected.",
  "notice.cancelled": "Cancelled.",
  "notice.secretLost": "The bot no longer holds this secret; ask for a new one.",
  "notice.nothingToReveal": "There is nothing private to show you at this step.",
  "notice.mintImpossible":
    "Setup links cannot be made for “{name}”: {reason}. The request has stopped; the approver has the details. Ask again once the gateway is reachable.",
  "notice.gatewayDetail":
    "What the gateway said about “{name}”: {error}\nThe channel's card shows only a plain sentence.",
  "notice.diagnosed": "Diagnosis sent to you privately.",
  "notice.replaced":
    "Nothing was done: this request was replaced by a newer one with other details. See the newer message and decide on that one.",
  "notice.duplicateName":
    "A request for a node named “{name}” is already open here: finish or cancel it first, or pick another name.",
  "notice.unknownSession": "This request no longer exists.",
  "notice.opened": "Request opened: follow it on the card in the channel.",
  "notice.rateLimited":
    "You have opened {limit} requests in the last hour; wait a while before the next one.",
  "notice.autofillFailed":
    "Could not read the gateway's details: {error}. Enter them by hand instead.",

  "validate.host.empty":
    "Enter the gateway's host name or IP address, e.g. gateway.example.com or 203.0.113.50.",
  "validate.host.scheme": "Leave out “{scheme}”: enter just the host, e.g. gateway.example.com.",
  "validate.host.path": "Enter just the host, without a path: “{host}”.",
  "validate.host.port": "Put the port in the port field: host “{host}”, port {port}.",
  "validate.host.badIpv4":
    "“{host}” is not a valid IPv4 address (four numbers 0–255, e.g. 203.0.113.50).",
  "validate.host.tooLong": "A host name has at most 253 characters.",
  "validate.host.characters":
    "A host name may contain only letters, digits, “-” and “.”; remove “{characters}”.",
  "validate.host.label":
    "“{host}” is not a valid host name: each part between dots is 1–63 letters, digits or “-”, not starting or ending with “-”.",
  "validate.port.notNumber":
    "“{port}” is not a port: enter a number from 1 to 65535 (the gateway's default is 18789).",
  "validate.port.range":
    "{port} is out of range: a port is 1–65535 (the gateway's default is 18789).",
  "validate.fingerprint.empty":
    "Enter the SHA-256 fingerprint of the gateway's certificate (64 hex digits).",
  "validate.fingerprint.characters":
    "A fingerprint has only hex digits 0–9 and a–f (colons and spaces are fine); remove “{characters}”.",
  "validate.fingerprint.length":
    "A SHA-256 fingerprint has 64 hex digits; this one has {length}. Copy it again from: openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
  "validate.token.empty":
    "Enter the gateway token ($OPENCLAW_GATEWAY_TOKEN or gateway.auth.token on the gateway).",
  "validate.token.tooLong":
    "That is longer than a gateway token can be (at most {max} characters).",
  "validate.token.characters":
    "A gateway token has no spaces, line breaks or control characters: copy it again.",
  "validate.displayName.empty": "Give the node a display name, e.g. {connectNode} build-server-1",
  "validate.reason.required":
    "Say why the node is needed: {connectNode} build-server-1 -- runs the nightly builds",
  "validate.reason.requiredOption":
    "Say why the node is needed: fill in the reason option of {connectNode}.",
  "validate.reason.tooLong": "A reason has at most {max} characters.",
  "validate.displayName.control": "A display name must be on one line, without control characters.",
  "validate.displayName.tooLong": "A display name has at most {max} characters.",
  "validate.displayName.windows":
    "A display name cannot contain {characters}: on Windows, PowerShell and the openclaw.cmd launcher would split the name there or run the rest as a command. Choose a name without them.",
  "validate.displayName.backslash":
    "A display name cannot end with “\\”: on Windows it would swallow the quote around the name. Remove it or add something after it.",
  "validate.displayName.commandsFlag":
    "“--commands” goes once, at the end of the name, with the ids separated by commas and no spaces, e.g. {connectNode} build-1 --commands system.which,fs.listDir",
  "validate.invisible":
    "It contains {codePoint}, an invisible or control character (a direction mark, a zero-width space, a soft hyphen, a line break…) that would make it look like something it is not. Type it again without that character.",

  "discord.command.connectNode": "Connect a remote OpenClaw node to the gateway, step by step",
  "discord.option.name": "name",
  "discord.option.name.description": "The node's display name, e.g. build-server-1",
  "discord.option.nodeOperator": "node-operator",
  "discord.option.nodeOperator.description": "Who will run the node (default: you)",
  "discord.option.reason": "reason",
  "discord.option.reason.description": "Why the node is needed; every approver sees it",
  "discord.command.diagnose": "Find out why a node does not connect, from its log",
  "discord.option.log": "log",
  "discord.option.log.description":
    "The node's log as a text file (without it, a box opens to paste it)",
  "discord.diagnose.title": "Paste the node's log",
  "discord.diagnose.label": "Node log",
  "discord.diagnose.placeholder": "The lines `openclaw node run` printed",
  "discord.diagnose.unreadable":
    "Could not read the attached file. Attach the node's log as a text file, or run /diagnose without a file and paste its last lines.",
  "discord.channelNotAllowed": "/connect-node works only in these channels: {channels}.",
  "discord.noApproverHere":
    "/connect-node works only in a server where one of the configured approvers is a member, and none is in this one. Ask your team for its server.",
  "discord.guildOnly": "Run /connect-node in a server channel, not in a private message.",
  "discord.cannotPost":
    "The bot cannot post its card in this channel: give it View Channel, Send Messages and Embed Links here, or use another channel.",
  "discord.nodeOperatorBot": "{name} is a bot: choose a person as the node operator.",
  "discord.unknownButton": "This button no longer does anything.",
  "discord.formClosed": "Press the button to open the form.",
  "discord.error": "Something went wrong on the bot's side; try again in a moment.",
  "discord.truncated": "(shortened: too long for one Discord message)",
  "discord.leak.title": "A secret was posted here and has been deleted",
  "discord.leak.body":
    "{user}, your message contained a secret of an open connection request, so it was deleted. Treat the secret as known to everyone who saw it.",
  "discord.leak.token":
    "If it was the gateway token, rotate it now on the gateway host and restart the gateway:",
  "discord.leak.tokenEnv":
    "If the gateway takes its token from $OPENCLAW_GATEWAY_TOKEN, set the new value there instead. Nodes that use the old token need the new one.",
  "discord.leak.setupLink":
    "If it was a setup link, cancel the request on its card and open a new one; check `openclaw devices list` for a device you don't know.",
  "telegram.command.connect_node": "Connect a remote node: /connect_node <display name>",
  "telegram.command.diagnose": "Find out why a node does not connect, from its log",
  "telegram.command.help": "How clawshake works",
  "telegram.command.start": "Let clawshake write to you privately",
  "telegram.help.group":
    "clawshake connects a remote OpenClaw node to the gateway, step by step.\n/connect_node <display name> opens a request here; say why after “ -- ” or on the next line, and, to ask for only some node commands, add --commands system.which,fs.listDir after the name; follow it on the card. Approvals, gateway details and commands go by private message: open a private chat with me and press Start once.",
  "telegram.help.private":
    "In this chat I send you approvals, the gateway form and node commands.\n/diagnose: paste a node's log (or send the file) and I tell you what went wrong and how to fix it.\nRequests are opened in your team's group with /connect_node <display name>.",
  "telegram.start.welcome":
    "Hello! You have started clawshake: you can now receive approvals and private messages from it here.",
  "telegram.start.invalid":
    "This link no longer works: it was used already, or its request has ended.",
  "telegram.connect.inGroup":
    "Use /connect_node <display name> in your team's group: the request card is posted there for everyone to follow.",
  "telegram.connect.notHere": "/connect_node is not enabled in this group.",
  "telegram.connect.noApproverHere":
    "/connect_node works only in a group where one of the configured approvers is a member, and none is in “{group}”. Ask your team for its group.",
  "telegram.sentPrivately": "Sent to you in your private chat with the bot.",
  "telegram.startBotFirst":
    "I can't write to you privately yet. Open a private chat with me and press Start; I will continue there.",
  "telegram.unknownButton": "This button no longer works.",
  "telegram.form.howto":
    "I will ask for each value in turn: answer each question with one message, or press the button under it to keep the value shown.",
  "telegram.form.hint": "Hint:",
  "telegram.form.current": "Current value:",
  "telegram.form.keep": "Press “Keep” below to keep it.",
  "telegram.form.optional": "Optional: press “Use the default” below.",
  "telegram.form.keepButton": "Keep",
  "telegram.form.defaultButton": "Use the default",
  "telegram.form.kept": "Kept.",
  "telegram.form.staleButton": "That question was already answered.",
  "telegram.form.secret": "I will delete your message with the token as soon as I have read it.",
  "telegram.form.required": "This value is needed: please send it.",
  "telegram.form.again": "Please send it again.",
  "telegram.form.tokenDeleted":
    "I read the token and deleted your message, so it does not stay in this chat.",
  "telegram.form.restarted":
    "The bot restarted while you were entering the gateway details, so it asks again from the first question. It deleted your last message, in case it was the token.",
  "telegram.form.tokenNotDeleted":
    "I read the token but could not delete your message: please delete it yourself.",
  "telegram.diagnose.prompt": "Paste the node's log here as text, or send the log file.",
  "telegram.diagnose.inPrivate":
    "Send /diagnose to me in a private chat: a node's log can hold details that do not belong in the group.",
  "telegram.diagnose.tooLarge":
    "That file is too large (at most {max} MB). Send the last lines of the log instead.",
  "telegram.diagnose.unreadable": "I could not download that file; paste the log as text instead.",
  "console.form.open":
    "A form is open: each line you type answers its question, so button numbers do not work here. Type /cancel-form to leave it; nothing is sent before the last answer.",
  "console.form.left": "Form left; nothing was sent.",
  "console.form.leave": "/cancel-form leaves the form",
  "console.form.optional": "optional",
  "console.form.keep": "Enter keeps [{value}]",
  "console.form.hint.host": "e.g. gateway.example.com or 203.0.113.50",
  "console.form.hint.port": "Enter for the default, 18789",
  "console.form.hint.fingerprint":
    "on the gateway, run: openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
  "console.form.hint.token": "$OPENCLAW_GATEWAY_TOKEN or gateway.auth.token on the gateway",
  "console.form.again": "Type it again, or /cancel-form to leave the form.",
  "console.form.button":
    "“{n}” is the number of a button on the screen, not a gateway host. To press it, leave the form first (/cancel-form); to use “{n}” as the host anyway, type it again.",
} as const;

export const messagesZh: Record<keyof typeof messagesEn, string> = {
  "card.title": "连接节点“{name}”",
  "card.nodeOperator": "Node 操作者",
  "card.gatewayOperator": "Gateway 操作者",
  "card.mode": "接入方式",
  "card.mode.setupLink": "配置链接(共享 Token 不离开 Gateway)",
  "card.mode.sharedToken": "共享 Token(主机、端口、指纹、Token)",
  "card.fallback": "配置链接不可用:{reason}。",
  "card.pairingRequest": "配对请求",
  "card.reason": "理由",
  "card.quorum": "已获 {count}/{required} 个批准",
  "card.waited": "已等待审批人 {elapsed}。",
  "card.approvedBy": "✔ {step}已由 {name} 批准",
  "card.rejectedBy": "✘ {step}已被 {name} 拒绝",
  "card.elsewhere": "Gateway 的 WebUI 或 CLI",
  "card.lastError": "⚠ 上一次 Gateway 操作失败:{error}。审批人可以重试。",
  "card.preflightFailed":
    "⚠ Gateway 检查失败,因此没有发送任何内容:{problem} {gatewayOperator} 可以重新填写。",
  "card.lastDiagnosis": "最近一次日志诊断",
  "card.sentByDm": "已通过私信发送给 {name}。",
  "card.dmClosed": "{name} 的私信已关闭:“{button}”按钮会私下向 {name} 显示为其准备的内容。",

  "step.request": "请求",
  "step.device": "设备配对",
  "step.capability": "节点命令",

  "stage.awaitingApproval": "等待审批人(通过私信)批准此请求。",
  "stage.minting": "已批准,正在创建一次性配置链接…",
  "stage.linkSent": "配置链接已发送给 {nodeOperator},{minutes} 分钟后过期。等待节点使用。",
  "stage.linkExpired": "配置链接已过期且未被使用。审批人可以重新签发。",
  "stage.linkUncertain": "网关已用掉该配置链接，但无法确认节点是否收到。审批人可以重新签发。",
  "stage.redeemed": "节点已使用配置链接,等待其显示为已连接。",
  "stage.awaitingGatewayOperator": "等待 Gateway 操作者接手此请求。",
  "stage.awaitingCredentials": "{gatewayOperator} 正在私下填写 Gateway 信息。",
  "stage.preflight": "正在检查该地址上 Gateway 的证书…",
  "stage.credentialsSent": "凭据已发送给 {nodeOperator},等待节点连接 Gateway。",
  "stage.devicePairingPending": "节点请求配对,等待审批人(私信或 WebUI)。",
  "stage.awaitingRerun": "设备已批准。{nodeOperator} 需要再次运行节点命令。",
  "stage.awaitingRerun.checking":
    "设备已批准。正在等待几秒,看节点是否自行继续;如果它已暂停,将请 {nodeOperator} 再次运行。",
  "stage.capabilityPending": "节点请求其命令权限,等待审批人(私信或 WebUI)。",
  "stage.verifying": "已批准,等待 Gateway 显示节点已连接。",
  "stage.connected": "✅ 节点“{name}”已连接({elapsed})。",
  "stage.cancelled": "已取消。",
  "stage.expired": "节点连接前已过期。",
  "card.startOver": "请重新运行 {connectNode} 以重新开始。",
  "stage.failed": "已停止:{reason}。",

  "failure.requestRejected": "审批人拒绝了此请求",
  "failure.deviceRejected": "设备配对被拒绝",
  "failure.capabilityRejected": "节点命令被拒绝",
  "failure.gatewayError": "无法创建配置链接:{problem}",
  "failure.secretLost": "机器人已不再持有该密钥",

  "problem.noGateway": "机器人没有与 Gateway 的连接",
  "problem.loopbackOnly": "Gateway 只监听本机地址,配置链接将无法使用",
  "problem.authModeNone": "Gateway 未启用 Token 或密码认证,而配置链接需要它",
  "problem.unauthorized": "Gateway 不接受机器人的凭据",
  "problem.botNotPaired": "机器人自身的设备仍在等待 Gateway 批准",
  "problem.timeout": "Gateway 未及时响应",
  "problem.notConnected": "机器人当前未连接到 Gateway",
  "problem.other": "Gateway 未能完成该操作",

  "check.requestApproved": "审批人已同意",
  "check.linkSent": "配置链接已私下发送",
  "check.linkSent.waiting": "配置链接已就绪,等待 {name} 打开",
  "check.linkSent.shown": "配置链接已私下显示给 {name}",
  "check.linkSent.withdrawn": "配置链接已私下发送,随后撤回",
  "check.linkRedeemed": "节点已使用链接",
  "check.connected": "节点已连接",
  "check.gatewayOperator": "已有 Gateway 操作者",
  "check.preflight": "已在 host:port 核对证书",
  "check.credentialsSent": "凭据已私下发送",
  "check.credentialsSent.waiting": "凭据已就绪,等待 {name} 打开",
  "check.credentialsSent.shown": "凭据已私下显示给 {name}",
  "check.credentialsSent.withdrawn": "凭据已私下发送,随后撤回",
  "check.deviceApproved": "设备配对已批准",
  "check.capabilityApproved": "节点命令已批准",

  "button.claim": "我是 Gateway 操作者",
  "button.enterCredentials": "填写 Gateway 信息",
  "button.autofill": "从本机 Gateway 读取",
  "button.confirmCredentials": "发送给 Node 操作者",
  "button.editCredentials": "修改",
  "button.reveal": "查看我的凭据",
  "button.webUi": "打开 WebUI",
  "button.cancel": "取消",
  "button.approveDevice": "批准设备",
  "button.approveCapability": "批准命令",
  "button.reject": "拒绝",
  "button.reissueLink": "新链接",

  "field.host": "Gateway 主机",
  "field.port": "端口",
  "field.fingerprint": "TLS 指纹(SHA-256)",
  "field.token": "Gateway Token",
  "field.displayName": "显示名称",
  "field.reason": "理由",
  "field.requestId": "请求 ID",
  "field.deviceId": "设备 ID",
  "field.remoteIp": "来源地址",
  "field.platform": "平台",
  "field.commands": "请求的命令",
  "origin.where": "来源",
  "origin.who": "请求者",
  "origin.server": "服务器“{name}”(ID {id})",
  "origin.group": "群组“{name}”(ID {id})",
  "origin.channel": "#{name}(ID {id})",
  "origin.topic": "话题“{name}”(ID {id})",
  "origin.topicId": "话题 ID {id}",
  "origin.chatId": "聊天 ID {id}",
  "origin.byHandle": "{name}(用户名 {handle},ID {id})",
  "origin.byId": "{name}(ID {id})",

  "placeholder.host": "gateway.example.com 或 203.0.113.50",
  "placeholder.port": "18789",
  "placeholder.fingerprint":
    "openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
  "placeholder.token": "$OPENCLAW_GATEWAY_TOKEN 或 gateway.auth.token",

  "form.title": "“{name}”的 Gateway 信息",
  "form.intro":
    "只有 {nodeOperator} 会通过私信看到这些信息。发送前,机器人会先核对 host:port 上的证书。",

  "dm.approvalRequest.title": "批准新节点“{name}”?",
  "dm.approvalRequest.body": "{requester} 请求连接名为“{name}”的节点,由 {nodeOperator} 运行。",
  "dm.approvalRequest.grants":
    "批准后,机器人会创建一个一次性配置链接(10 分钟有效)并私下发送给 Node 操作者。用它接入的节点会立即获批,并拥有你在下方选择的命令:只有在信任此人时才批准。",
  "dm.setupLink.title": "“{name}”的配置链接",
  "dm.setupLink.body":
    "请在 {minutes} 分钟内在节点机器上运行。链接只能使用一次,包含 Gateway 地址和证书指纹;请勿分享。",
  "dm.setupLink.service": "或者,将节点安装为常驻服务:",
  "dm.setupLink.powershell": "在 Windows(PowerShell)上:",
  "dm.linkExpired.title": "“{name}”的配置链接已过期",
  "dm.linkExpired.body": "链接未在有效期内使用。要为 {nodeOperator} 签发新链接吗?",
  "dm.linkUncertain.title": "“{name}”的配置链接可能未送达",
  "dm.linkUncertain.body":
    "网关已用掉该链接，但无法确认节点是否收到了凭据。如果节点尚未连接，要为 {nodeOperator} 签发新链接吗?",
  "dm.credentials.title": "连接你的节点“{name}”",
  "dm.credentials.body":
    "{gatewayOperator} 与你共享了 Gateway 信息,已对照在线 Gateway 核对。Token 在下方:请妥善保密。",
  "dm.credentials.run": "在节点机器上运行(bash/zsh):",
  "dm.credentials.powershell": "在 Windows(PowerShell)上:",
  "dm.credentials.install":
    "如需安装为服务,请用相同参数运行 `openclaw node install`。如果提示“pairing required”,请等待:审批人会收到请求,如需再次运行会通知你。",
  "dm.confirmCredentials.title": "发送“{name}”的这些 Gateway 信息?",
  "dm.confirmCredentials.body": "这些信息读取自机器人所在的 Gateway。请核对后发送。",
  "dm.confirmCredentials.tokenRead": "已从 Gateway 读取(不显示)",
  "dm.preflightFailed.title": "“{name}”的 Gateway 检查失败",
  "dm.preflightFailed.body": "尚未发送任何内容。在 {host}:{port}:",
  "dm.preflightPassed.title": "已匹配:已私下发送给 {nodeOperator}",
  "dm.preflightPassed.body":
    "{host}:{port} 上的证书与你填写的一致。{nodeOperator} 已通过私信收到 Token 和要运行的命令。",
  "dm.preflightPassed.titleClosed": "已匹配:等待 {nodeOperator} 查看",
  "dm.preflightPassed.closed":
    "{host}:{port} 上的证书与你填写的一致。{nodeOperator} 的私信已关闭:可以用卡片上的按钮私下查看。",
  "dm.claimRequest.title": "“{name}”需要一位 Gateway 操作者",
  "dm.claimRequest.body":
    "{requester} 请求连接名为“{name}”的节点,由 {nodeOperator} 运行。需要 Gateway 的主机、端口、证书指纹和 Token。",
  "dm.claimRequest.ask": "接下此请求即可私下填写;发送任何内容前,机器人会先核对证书。",
  "dm.claimRequest.taken": "{gatewayOperator} 已接下此请求。",
  "dm.claimRequest.over": "此请求已结束。",
  "dm.devicePairing.title": "批准“{name}”的设备配对?",
  "dm.devicePairing.body": "“{name}”({nodeOperator})的节点请求与 Gateway 配对。",
  "dm.devicePairing.otherDevice":
    "⚠ 另一台设备(来自 {ip})以相同名称“{name}”提出请求,此前的请求来自 {earlierIp}。只有确认是哪台机器时才批准。",
  "dm.replaced":
    "此请求已被一个内容不同的新请求取代(另一台设备、另一个地址或另一组命令):请查看新消息。此请求已无法批准。",
  "dm.followed":
    "此请求已有决定。之后又有一个内容不同的新请求(另一台设备、另一个地址或另一组命令)以相同名称提出:请查看新消息。",
  "dm.devicePairing.grants": "批准后此设备将与 Gateway 配对。其命令权限将在第二步审批。",
  "dm.capability.title": "批准“{name}”的命令?",
  "dm.capability.body": "节点“{name}”已配对,请求以下命令。",
  "dm.capability.grants": "这些是高权限命令:system.run 会让 Gateway 在那台机器上运行程序。",
  "dm.webUi":
    "也可以在 WebUI 中审批:{url}(浏览器会对自签名证书发出警告;其 SHA-256 指纹应为 {fingerprint})。",
  "dm.rerun.title": "请再次运行“{name}”的节点",
  "dm.rerun.body":
    "设备已批准。配对后节点会保持暂停:请停止它(Ctrl+C),并在同一个终端中用下面的命令再次运行(网关令牌仍设置在该终端中,因此不再发送)。之后它会请求命令权限。",
  "dm.rerun.service": "如果节点已安装为服务:运行 `openclaw node restart`。",
  "dm.rerun.done":
    "已不再需要:节点已重新连上 Gateway(自行继续,或在你再次运行之后)。请让它保持运行。",
  "dm.rerun.ended": "此次握手已结束,无需再运行任何命令。",
  "dm.connected.title": "“{name}”已连接",
  "dm.connected.body": "Gateway 显示节点已批准并连接({elapsed})。之前消息中的密钥已移除。",
  "dm.reminder.title": "仍在等待:“{name}”",
  "dm.reminder.body":
    "{requester} 对节点“{name}”的请求已等待批准 {elapsed}。按钮在之前关于它的消息中。",
  "dm.requestApproved.title": "你对“{name}”的请求已获批准",
  "dm.requestApproved.body": "批准人:{names}。{nodeOperator} 会通过私信收到后续步骤。",
  "dm.requestRejected.title": "你对“{name}”的请求被拒绝",
  "dm.requestRejected.body": "{step}被 {by} 拒绝。",
  "dm.requestExpired.title": "你对“{name}”的请求已过期",
  "dm.requestExpired.body": "未能及时完成。如仍需要该节点,请用 {connectNode} 重新请求。",
  "dm.requestConnected.title": "“{name}”已连接",
  "dm.requestConnected.body": "你请求的节点已连接({elapsed})。",
  "dm.redacted.connected": "节点已连接;此消息中的密钥已移除。",
  "dm.redacted.redeemed": "配置链接已被使用,已从此消息中移除。",
  "dm.redacted.linkExpired": "此配置链接已过期;审批人可以签发新链接。",
  "dm.redacted.ended": "此次握手已结束;密钥已移除。",
  "dm.redacted.lost": "机器人已不再持有此密钥(重启后没有封存它的加密密钥)。请重新申请。",

  "diagnosis.title": "节点日志:{code}",
  "help.private":
    "我是 clawshake:我帮你一步步把远程 OpenClaw 节点连接到 Gateway,频道中不会出现任何密钥。\n{connectNode} <显示名称>:在团队的频道或群组中申请一个节点。之后审批、Gateway 信息和节点命令都会在这里私下发给你。\n{diagnose}:粘贴节点日志(`openclaw node run` 的输出),我会告诉你问题所在以及如何修复。",
  "diagnosis.earlier": "日志中较早出现:{codes}。",
  "diagnosis.truncated":
    "日志超过 {mb} MB:只读取了最后 {mb} MB。如果问题出现得更早,请发送出问题前后的那部分日志。",

  "console.botDevice.restart":
    "机器人自己的设备正在等待网关批准。请在网关主机上运行:{command}\n然后重启 clawshake。在此之前它使用较慢的 openclaw CLI。",
  "console.botDevice.waits":
    "机器人自己的设备正在等待网关批准。请在网关主机上运行:{command}\n批准后机器人会自动连接。",

  "preflight.refused": "该地址无服务监听(连接被拒绝)。请检查主机、端口和防火墙。",
  "preflight.hostNotFound": "无法解析该主机名,请检查拼写。",
  "preflight.timeout": "无响应(超时)。请检查防火墙以及 Gateway 是否在运行。",
  "preflight.notTls":
    "该地址有响应,但不是 TLS。gateway.tls.enabled 是否为 true?端口是否是 Gateway 的端口?",
  "preflight.fingerprintMismatch":
    "该地址上的证书与填写的不一致。请在 Gateway 上重新读取;证书重新生成后指纹会变化。",
  "preflight.blockedAddress": "不允许检查该地址(链路本地或云元数据地址)。",
  "preflight.rateLimited": "此会话的检查次数过多,请稍候一分钟。",
  "preflight.other": "检查失败:{detail}",
  "preflight.entered": "填写的",
  "preflight.seen": "Gateway 上看到的",

  "notice.notAuthorized": "你无权在此执行该操作。请让 Gateway 管理员将你加入机器人的配置。",
  "notice.forSomeoneElse": "这仅供 {name} 使用:其中是 {name} 连接节点所需的信息。",
  "notice.cancelNotYours": "只有 {names} 或审批人可以取消此请求。",
  "notice.approveOnlyInDm": "审批只在机器人的私信中进行,不在频道中。",
  "notice.selfApproval": "你不能批准自己的请求,需要另一位审批人。",
  "notice.alreadyApproved": "已由 {by} 批准。",
  "notice.alreadyRejected": "已被 {by} 拒绝。",
  "notice.sessionOver": "此请求已结束({stage})。",
  "notice.notNow": "当前步骤无法执行该操作。",
  "notice.invalidCredentials": "部分信息需要修正,尚未发送任何内容:",
  "notice.claimed": "你是此请求的 Gateway 操作者。",
  "notice.alreadyClaimed": "{name} 已是此请求的 Gateway 操作者。",
  "notice.probing": "正在检查 Gateway 的证书…",
  "notice.approved": "已批准。",
  "notice.approvalCounted": "你的批准已计入:{count}/{required}。达到 {required} 个批准后继续。",
  "notice.rejected": "已拒绝。",
  "notice.cancelled": "已取消。",
  "notice.secretLost": "机器人已不再持有此密钥,请重新申请。",
  "notice.nothingToReveal": "当前步骤没有可私下显示的内容。",
  "notice.mintImpossible":
    "无法为“{name}”创建配置链接:{reason}。请求已停止,审批人已收到详细信息。Gateway 可用后请重新申请。",
  "notice.gatewayDetail": "关于“{name}”,Gateway 返回:{error}\n频道中的卡片只显示简要说明。",
  "notice.diagnosed": "诊断结果已私下发送给你。",
  "notice.replaced": "未执行:此请求已被一个内容不同的新请求取代。请查看新消息并对其作出决定。",
  "notice.duplicateName": "这里已有一个名为“{name}”的节点请求:请先完成或取消它,或换一个名称。",
  "notice.unknownSession": "此请求已不存在。",
  "notice.opened": "请求已创建:请在频道中的卡片上跟进。",
  "notice.rateLimited": "你在过去一小时内已发起 {limit} 个请求,请稍后再试。",
  "notice.autofillFailed": "无法读取 Gateway 信息:{error}。请手动填写。",

  "validate.host.empty":
    "请输入 Gateway 的主机名或 IP 地址,例如 gateway.example.com 或 203.0.113.50。",
  "validate.host.scheme": "请去掉“{scheme}”,只填写主机,例如 gateway.example.com。",
  "validate.host.path": "只填写主机,不要带路径:“{host}”。",
  "validate.host.port": "端口请填在端口栏:主机“{host}”,端口 {port}。",
  "validate.host.badIpv4": "“{host}”不是有效的 IPv4 地址(四个 0–255 的数字,例如 203.0.113.50)。",
  "validate.host.tooLong": "主机名最多 253 个字符。",
  "validate.host.characters": "主机名只能包含字母、数字、“-”和“.”;请删除“{characters}”。",
  "validate.host.label":
    "“{host}”不是有效的主机名:点之间的每一段为 1–63 个字母、数字或“-”,且不能以“-”开头或结尾。",
  "validate.port.notNumber": "“{port}”不是端口:请输入 1 到 65535 的数字(Gateway 默认 18789)。",
  "validate.port.range": "{port} 超出范围:端口为 1–65535(Gateway 默认 18789)。",
  "validate.fingerprint.empty": "请输入 Gateway 证书的 SHA-256 指纹(64 位十六进制)。",
  "validate.fingerprint.characters":
    "指纹只包含十六进制数字 0–9 和 a–f(冒号和空格可以保留);请删除“{characters}”。",
  "validate.fingerprint.length":
    "SHA-256 指纹有 64 位十六进制数字,这里有 {length} 位。请重新复制:openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
  "validate.token.empty":
    "请输入 Gateway Token(Gateway 上的 $OPENCLAW_GATEWAY_TOKEN 或 gateway.auth.token)。",
  "validate.token.tooLong": "长度超过了 Gateway Token 的上限(最多 {max} 个字符)。",
  "validate.token.characters": "Gateway Token 不含空格、换行或控制字符:请重新复制。",
  "validate.displayName.empty": "请为节点指定显示名称,例如 {connectNode} build-server-1",
  "validate.reason.required": "请说明为什么需要该节点:{connectNode} build-server-1 -- 运行每晚构建",
  "validate.reason.requiredOption": "请说明为什么需要该节点:填写 {connectNode} 的 reason 选项。",
  "validate.reason.tooLong": "理由最多 {max} 个字符。",
  "validate.displayName.control": "显示名称必须在一行内,且不含控制字符。",
  "validate.displayName.tooLong": "显示名称最多 {max} 个字符。",
  "validate.displayName.windows":
    "显示名称不能包含 {characters}:在 Windows 上,PowerShell 和 openclaw.cmd 启动器会在这里拆分名称,或把后面的部分当作命令运行。请换一个不含这些字符的名称。",
  "validate.displayName.backslash":
    "显示名称不能以“\\”结尾:在 Windows 上它会吞掉名称外的引号。请删除它,或在后面再加些字符。",
  "validate.displayName.commandsFlag":
    "“--commands” 只能写一次,放在名称末尾,后接用逗号分隔、不含空格的命令 ID,例如 {connectNode} build-1 --commands system.which,fs.listDir",
  "validate.invisible":
    "其中含有 {codePoint},这是一个看不见的字符或控制字符(方向标记、零宽空格、软连字符、换行等),会让内容看起来与实际不同。请去掉该字符后重新输入。",

  "discord.command.connectNode": "一步步将远程 OpenClaw 节点连接到 Gateway",
  "discord.option.name": "名称",
  "discord.option.name.description": "节点的显示名称,例如 build-server-1",
  "discord.option.nodeOperator": "节点操作者",
  "discord.option.nodeOperator.description": "由谁运行该节点(默认:你自己)",
  "discord.option.reason": "理由",
  "discord.option.reason.description": "为什么需要该节点;每位审批人都会看到",
  "discord.command.diagnose": "根据节点日志找出它无法连接的原因",
  "discord.option.log": "日志",
  "discord.option.log.description": "节点日志的文本文件(不附加时会打开输入框供粘贴)",
  "discord.diagnose.title": "粘贴节点日志",
  "discord.diagnose.label": "节点日志",
  "discord.diagnose.placeholder": "`openclaw node run` 输出的内容",
  "discord.diagnose.unreadable":
    "无法读取附加的文件。请以文本文件附加节点日志,或不带文件运行 /diagnose 后粘贴日志的最后几行。",
  "discord.channelNotAllowed": "/connect-node 只能在这些频道中使用:{channels}。",
  "discord.noApproverHere":
    "/connect-node 只能在有已配置审批人加入的服务器中使用,而此服务器中没有。请向你的团队询问正确的服务器。",
  "discord.guildOnly": "请在服务器频道中运行 /connect-node,而不是在私信中。",
  "discord.cannotPost":
    "机器人无法在此频道发布卡片:请在这里授予它“查看频道”“发送消息”和“嵌入链接”权限,或换一个频道。",
  "discord.nodeOperatorBot": "{name} 是机器人:请选择一个人作为 Node 操作者。",
  "discord.unknownButton": "此按钮已失效。",
  "discord.formClosed": "请按下按钮打开表单。",
  "discord.error": "机器人出了点问题,请稍后再试。",
  "discord.truncated": "(已截短:超出 Discord 单条消息的长度)",
  "discord.leak.title": "有人在此发布了密钥,消息已删除",
  "discord.leak.body":
    "{user},你的消息包含一个进行中连接请求的密钥,因此已被删除。请视该密钥已被所有看到它的人知晓。",
  "discord.leak.token": "如果是 Gateway Token,请立即在 Gateway 主机上轮换并重启 Gateway:",
  "discord.leak.tokenEnv":
    "如果 Gateway 的 Token 来自 $OPENCLAW_GATEWAY_TOKEN,请改为在那里设置新值。使用旧 Token 的节点需要换成新 Token。",
  "discord.leak.setupLink":
    "如果是配置链接,请在其卡片上取消该请求并重新发起;并用 `openclaw devices list` 检查是否有你不认识的设备。",
  "telegram.command.connect_node": "连接远程节点:/connect_node <显示名称>",
  "telegram.command.diagnose": "根据节点日志找出无法连接的原因",
  "telegram.command.help": "clawshake 的用法",
  "telegram.command.start": "允许 clawshake 私信你",
  "telegram.help.group":
    "clawshake 帮你一步步把远程 OpenClaw 节点连接到 Gateway。\n/connect_node <显示名称> 会在这里发起请求;在“ -- ”之后或下一行写明理由;如只需部分节点命令,在名称后加上 --commands system.which,fs.listDir;请在卡片上跟进。审批、Gateway 信息和节点命令都通过私信发送:请与我开启私聊并点击一次 Start。",
  "telegram.help.private":
    "我会在这个私聊中发送审批、Gateway 表单和节点命令。\n/diagnose:粘贴节点日志(或发送日志文件),我会告诉你问题所在以及如何修复。\n请求请在团队群组中用 /connect_node <显示名称> 发起。",
  "telegram.start.welcome": "你好!你已启动 clawshake:现在可以在这里接收审批和私信了。",
  "telegram.start.invalid": "此链接已失效:它已被使用,或对应的请求已结束。",
  "telegram.connect.inGroup":
    "请在团队群组中使用 /connect_node <显示名称>:请求卡片会发在那里,方便大家跟进。",
  "telegram.connect.notHere": "此群组未启用 /connect_node。",
  "telegram.connect.noApproverHere":
    "/connect_node 只能在有已配置审批人加入的群组中使用,而“{group}”中没有。请向你的团队询问正确的群组。",
  "telegram.sentPrivately": "已在你与机器人的私聊中发送。",
  "telegram.startBotFirst": "我还不能私信你。请与我开启私聊并点击 Start,我会在那里继续。",
  "telegram.unknownButton": "此按钮已失效。",
  "telegram.form.howto": "我会逐项询问,每个问题请用一条消息回答,或点击问题下方的按钮保留显示的值。",
  "telegram.form.hint": "提示:",
  "telegram.form.current": "当前值:",
  "telegram.form.keep": "点击下方的“保留”即可保留它。",
  "telegram.form.optional": "可选:点击下方的“使用默认值”。",
  "telegram.form.keepButton": "保留",
  "telegram.form.defaultButton": "使用默认值",
  "telegram.form.kept": "已保留。",
  "telegram.form.staleButton": "这个问题已经回答过了。",
  "telegram.form.secret": "读取 Token 后,我会立即删除你发送 Token 的那条消息。",
  "telegram.form.required": "此项必填:请发送它。",
  "telegram.form.again": "请重新发送。",
  "telegram.form.tokenDeleted": "我已读取 Token 并删除了你的消息,它不会留在此聊天中。",
  "telegram.form.restarted":
    "你输入网关信息时机器人重启了,所以从第一个问题重新问起。你的上一条消息已被删除,以防其中含有 Token。",
  "telegram.form.tokenNotDeleted": "我已读取 Token,但无法删除你的消息:请自行删除。",
  "telegram.diagnose.prompt": "请在这里以文本形式粘贴节点日志,或发送日志文件。",
  "telegram.diagnose.inPrivate":
    "请在私聊中向我发送 /diagnose:节点日志可能包含不适合发在群组中的信息。",
  "telegram.diagnose.tooLarge": "文件太大(最多 {max} MB)。请改为发送日志的最后几行。",
  "telegram.diagnose.unreadable": "无法下载该文件;请改为以文本形式粘贴日志。",
  "console.form.open":
    "表单已打开:你输入的每一行都是当前问题的答案,因此按钮编号在这里无效。输入 /cancel-form 离开表单;最后一项回答之前不会发送任何内容。",
  "console.form.left": "已离开表单;没有发送任何内容。",
  "console.form.leave": "输入 /cancel-form 离开表单",
  "console.form.optional": "可选",
  "console.form.keep": "按回车保留 [{value}]",
  "console.form.hint.host": "例如 gateway.example.com 或 203.0.113.50",
  "console.form.hint.port": "按回车使用默认值 18789",
  "console.form.hint.fingerprint":
    "在 Gateway 上运行:openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout",
  "console.form.hint.token": "Gateway 上的 $OPENCLAW_GATEWAY_TOKEN 或 gateway.auth.token",
  "console.form.again": "请重新输入,或输入 /cancel-form 离开表单。",
  "console.form.button":
    "“{n}”是屏幕上某个按钮的编号,不是 Gateway 主机。要点击它,请先离开表单(/cancel-form);若确实要把“{n}”作为主机,请再输入一次。",
};
