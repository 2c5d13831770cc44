// Strings of least privilege (which commands a node may have), English and Simplified Chinese; keys start with
// "grant.", plus the failure, notice and validation keys of the same feature.

export const grantEn = {
  "grant.button.all": "Approve: all commands",
  "grant.button.safe": "Approve: no program-running",
  "grant.button.asked": "Approve: only those asked",
  "grant.button.narrow": "Ask for fewer: no program-running",
  "grant.narrowedText":
    "{by} asked {nodeOperator} to run the node again with only: {commands}. OpenClaw approves a request whole, so this one can only be rejected; the node's new request will come here to approve.",
  "dm.narrowed.title": "Run “{name}” again, with fewer commands",
  "dm.narrowed.body":
    "{by} approves this node only without the commands that run programs. Stop it (Ctrl+C) and run this in the same terminal; it asks for only: {commands}. The approvers then approve that request.",
  "notice.narrowed":
    "Asked {name} to run the node again with fewer commands; its new request will come to you.",
  "notice.narrowedAlready":
    "Nothing was done: {by} asked for fewer commands than this request holds. Approve the node's new request when it comes, or reject this one.",
  "grant.choose":
    "Choose which commands the node may have: all it offers (system.run included: the gateway can then run programs on that machine), all but those that run programs ({programs}), or only those asked for. The command {nodeOperator} gets carries your choice, and the bot checks what the gateway granted once the node connects.",
  "grant.chooseNoAsked":
    "Choose which commands the node may have: all it offers (system.run included: the gateway can then run programs on that machine), or all but those that run programs ({programs}). The command {nodeOperator} gets carries your choice, and the bot checks what the gateway granted once the node connects.",
  "grant.asked": "Commands asked for",
  "grant.field": "Commands",
  "grant.all": "everything the node offers",
  "grant.safe": "all but those that run programs",
  "grant.only": "only {commands}",
  "grant.granted": "Granted by the gateway",
  "grant.checking": "The node is connecting: checking which commands the gateway granted it…",
  "grant.voted": "{name} granted: {grant}",
  "grant.link":
    "This link is for: {grant}. Run the command as it is: a node started without its --commands is removed again.",
  "grant.programs": "Of these, {commands} run programs on that machine.",
  "grant.beyond":
    "⚠ More than this node was meant to have ({grant}): {commands}. Approve only if you want that; otherwise reject, and {nodeOperator} runs the command as it was sent.",
  "grant.removing": "Taking it off the gateway again…",
  "grant.removed": "⛔ The bot took it off the gateway again.",
  "grant.notRemoved":
    "⚠ The bot could not take it off the gateway: remove it in the WebUI, or on the gateway with: openclaw nodes remove --node {nodeId}",
  "grant.notRemovedCard":
    "⚠ The bot could not take it off the gateway: the approvers were told privately how to remove it.",
  "grant.notRemovedUnknown":
    "⚠ The bot could not tell which node on the gateway this is, so it removed none: find the one this link enrolled in the WebUI (its id, not its name: another node may have the same name) and remove it there.",
  "grant.exceeded": "⛔ It connected with commands nobody approved: {commands}.",
  "grant.unverified": "⛔ The bot could not read which commands the gateway granted it.",
  "dm.grantExceeded.title": "“{name}” was taken off the gateway",
  "dm.grantExceeded.approved": "Approved: {grant}.",
  "dm.grantExceeded.again":
    "To connect it, ask again with {connectNode}, and run the command exactly as sent (with its --commands).",
  "failure.grantExceeded": "it connected with commands nobody approved",
  "failure.grantUnverified": "the bot could not check the commands it was granted",
  "notice.grantEmpty":
    "Nothing was done: with the approvals already given, this choice leaves the node no command at all. Choose another, or reject.",
  "validate.commands.invalid": "“{id}” is not an OpenClaw command id (like system.which).",
  "validate.commands.tooMany": "Ask for at most {max} commands.",
  "discord.option.commands": "commands",
  "discord.option.commands.description":
    "Only these node commands, comma-separated (e.g. system.which); approvers may grant them",
};

export const grantZh: Record<keyof typeof grantEn, string> = {
  "grant.button.all": "批准:全部命令",
  "grant.button.safe": "批准:不含运行程序的命令",
  "grant.button.asked": "批准:仅请求的命令",
  "grant.button.narrow": "要求减少:不含运行程序的命令",
  "grant.narrowedText":
    "{by} 已请 {nodeOperator} 只带以下命令重新运行节点:{commands}。OpenClaw 只能整体批准一个请求,因此此请求只能被拒绝;节点的新请求会发到这里等待批准。",
  "dm.narrowed.title": "请以更少的命令重新运行“{name}”",
  "dm.narrowed.body":
    "{by} 只批准不含运行程序命令的此节点。请停止它(Ctrl+C),并在同一终端运行以下命令;它只请求:{commands}。随后审批人会批准该请求。",
  "notice.narrowed": "已请 {name} 以更少的命令重新运行节点;它的新请求会发给你。",
  "notice.narrowedAlready":
    "未执行:{by} 已要求比此请求更少的命令。请在节点的新请求到来时批准它,或拒绝此请求。",
  "grant.choose":
    "选择该节点可拥有的命令:它提供的全部命令(包括 system.run:Gateway 随后可以在那台机器上运行程序)、除运行程序的命令以外的全部({programs}),或仅请求的命令。{nodeOperator} 收到的命令会带上你的选择;节点连接后,机器人会核对 Gateway 实际授予的命令。",
  "grant.chooseNoAsked":
    "选择该节点可拥有的命令:它提供的全部命令(包括 system.run:Gateway 随后可以在那台机器上运行程序),或除运行程序的命令以外的全部({programs})。{nodeOperator} 收到的命令会带上你的选择;节点连接后,机器人会核对 Gateway 实际授予的命令。",
  "grant.asked": "请求的命令",
  "grant.field": "命令",
  "grant.all": "节点提供的全部命令",
  "grant.safe": "除运行程序的命令以外的全部",
  "grant.only": "仅 {commands}",
  "grant.granted": "Gateway 授予的命令",
  "grant.checking": "节点正在连接:正在核对 Gateway 授予它的命令…",
  "grant.voted": "{name} 批准的命令:{grant}",
  "grant.link": "此链接适用于:{grant}。请原样运行命令:不带 --commands 启动的节点会被再次移除。",
  "grant.programs": "其中 {commands} 会在那台机器上运行程序。",
  "grant.beyond":
    "⚠ 超出此节点应有的命令({grant}):{commands}。只有在你确实需要时才批准;否则请拒绝,由 {nodeOperator} 按发送的命令原样运行。",
  "grant.removing": "正在将其从 Gateway 移除…",
  "grant.removed": "⛔ 机器人已将其从 Gateway 移除。",
  "grant.notRemoved":
    "⚠ 机器人无法将其从 Gateway 移除:请在 WebUI 中移除,或在 Gateway 上运行:openclaw nodes remove --node {nodeId}",
  "grant.notRemovedCard": "⚠ 机器人无法将其从 Gateway 移除:已私下告知审批人如何移除。",
  "grant.notRemovedUnknown":
    "⚠ 机器人无法确定它是 Gateway 上的哪个节点,因此未移除任何节点:请在 WebUI 中找到此链接注册的节点(按 ID,而非名称:其他节点可能同名)并将其移除。",
  "grant.exceeded": "⛔ 它连接时带有无人批准的命令:{commands}。",
  "grant.unverified": "⛔ 机器人无法读取 Gateway 授予它的命令。",
  "dm.grantExceeded.title": "“{name}”已从 Gateway 移除",
  "dm.grantExceeded.approved": "已批准:{grant}。",
  "dm.grantExceeded.again":
    "如需连接,请用 {connectNode} 重新请求,并完全按发送的命令运行(带上 --commands)。",
  "failure.grantExceeded": "它连接时带有无人批准的命令",
  "failure.grantUnverified": "机器人无法核对授予它的命令",
  "notice.grantEmpty": "未执行:加上已有的批准,此选择会使节点没有任何命令。请选择其他选项,或拒绝。",
  "validate.commands.invalid": "“{id}”不是 OpenClaw 命令 ID(例如 system.which)。",
  "validate.commands.tooMany": "最多请求 {max} 个命令。",
  "discord.option.commands": "命令",
  "discord.option.commands.description":
    "仅这些节点命令,用逗号分隔(例如 system.which);由审批人批准",
};
