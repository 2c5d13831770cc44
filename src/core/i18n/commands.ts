// Strings of the commands module, English and Simplified Chinese; keys start with "commands.".
// They become `#` comments in pasted scripts: no ASCII shell syntax in them (quotes, $, (), <>, ;, &, |, =, ~, !),
// because zsh without `interactivecomments` runs a pasted comment line as a command.

export const commandsEn = {
  "commands.header.run":
    "clawshake: connects this machine to the OpenClaw gateway as the node {name} and runs it in this terminal.",
  "commands.header.service":
    "clawshake: connects this machine to the OpenClaw gateway as the node {name} and installs it as a service.",
  "commands.header.rerun":
    "clawshake: runs the node {name} again, in the terminal where it ran before.",
  "commands.header.legacy":
    "clawshake: writes the node.json file for the node {name}, then runs the node in this terminal.",
  "commands.shell.posix":
    "Shell: bash, zsh or another POSIX shell on Linux or macOS. Paste it as it is.",
  "commands.shell.powershell": "Shell: PowerShell on Windows, macOS or Linux. Paste it as it is.",
  "commands.invisibleName":
    "No command for this node: its display name holds an invisible character, so the command would not read as what it runs. Ask for the node again under a name typed without it.",
  "commands.powershell.cannotCarry":
    "No PowerShell command for this node: Windows would pass its display name to openclaw changed. Use the bash command, or ask for the node again under a name without those characters.",
  "commands.grant":
    "--commands: the node offers only the commands the approvers granted. Keep it: a node started without it is removed again.",
  "commands.grant.shared":
    "--commands: the node offers only these commands; the approvers then see exactly what it asks for.",
  "commands.setupLink.secret":
    "The link in this command works once and expires 10 minutes after it was made. Do not share it with anyone.",
  "commands.setupLink.history":
    "Where the shell is set up for it, the space at the start of the next line keeps the link out of the shell history.",
  "commands.check.intro":
    "Before it starts anything, it checks that openclaw is installed here and that Node is {node} or newer.",
  "commands.check.introVersion":
    "Before it starts anything, it checks that openclaw {version}, the gateway's version, is installed here and that Node is {node} or newer.",
  "commands.check.missing":
    "clawshake: openclaw is not installed on this machine. Install it, then paste this again: {install}",
  "commands.check.version":
    "clawshake: the openclaw on this machine is not version {version}, which the gateway runs. Install that version, then paste this again: {install}",
  "commands.check.node":
    "clawshake: OpenClaw needs Node {node} or newer, and this machine has an older one or none. Install Node 24 from https://nodejs.org/en/download, then paste this again.",
  "commands.foreground": "The node runs in this terminal: keep it open. Ctrl+C stops it.",
  "commands.service.connect":
    "It pairs this machine first, then installs a user service that starts the node by itself.",
  "commands.service.install":
    "It installs the node as a user service: systemd on Linux, launchd on macOS, Task Scheduler on Windows.",
  "commands.service.restart":
    "If the chat asks you to start the node again after an approval, run: openclaw node restart",
  "commands.fingerprint":
    "The node trusts the gateway only if its certificate has this SHA-256 fingerprint.",
  "commands.token.env":
    "The gateway token is passed in an environment variable only, never on the command line.",
  "commands.token.history":
    "Where the shell is set up for it, the space at the start of the next line keeps the token out of the shell history.",
  "commands.token.replace":
    "Replace the placeholder between the quotes below with the gateway token, and keep the quotes.",
  "commands.token.guard":
    "Set the gateway token first: put it in place of the placeholder above, then paste this again.",
  "commands.pairing.rerun":
    "If the node prints pairing required, wait for the approval in the chat, and run the same command again only if the chat asks you to.",
  "commands.rerun.token":
    "The gateway token is still set in that terminal, so it is not sent again. In a new terminal, set it first as the earlier message shows.",
  "commands.rerun.guard":
    "The gateway token is not set in this terminal: set it as the earlier message shows, then paste this again.",
  "commands.legacy.warning":
    "WARNING: ONLY FOR OPENCLAW RELEASES OLDER THAN THE ONE THAT RETIRED node.json. On a current OpenClaw this file breaks the node: every node command stops with retired node-host state remains… Use the run or install commands instead.",
  "commands.legacy.file":
    "The node reads the gateway address and certificate fingerprint from node.json in the .openclaw folder of your home directory.",
} as const;

export const commandsZh: Record<keyof typeof commandsEn, string> = {
  "commands.header.run":
    "clawshake：将本机以节点 {name} 的身份连接到 OpenClaw 网关，并在此终端中运行。",
  "commands.header.service":
    "clawshake：将本机以节点 {name} 的身份连接到 OpenClaw 网关，并安装为服务。",
  "commands.header.rerun": "clawshake：在节点 {name} 之前运行的终端中再次运行它。",
  "commands.header.legacy":
    "clawshake：为节点 {name} 写入 node.json 文件，然后在此终端中运行节点。",
  "commands.shell.posix":
    "适用的 Shell：Linux 或 macOS 上的 bash、zsh 或其他 POSIX Shell。请原样粘贴。",
  "commands.shell.powershell":
    "适用的 Shell：Windows、macOS 或 Linux 上的 PowerShell。请原样粘贴。",
  "commands.invisibleName":
    "此节点没有命令：它的显示名称含有看不见的字符，命令看起来会与实际运行的不同。请用不含该字符的名称重新申请节点。",
  "commands.powershell.cannotCarry":
    "此节点没有 PowerShell 命令：Windows 会把它的显示名称改动后再传给 openclaw。请使用 bash 命令，或换一个不含这些字符的名称重新申请节点。",
  "commands.grant":
    "--commands:节点只提供审批人批准的命令。请保留它:不带它启动的节点会被再次移除。",
  "commands.grant.shared": "--commands:节点只提供这些命令;审批人随后会看到它请求的确切命令。",
  "commands.setupLink.secret": "此命令中的链接只能使用一次，生成 10 分钟后失效。请勿分享给任何人。",
  "commands.setupLink.history":
    "在已相应配置的 Shell 中，下一行开头的空格可使链接不被记入命令历史。",
  "commands.check.intro":
    "运行任何内容之前，它会先检查本机是否已安装 openclaw，以及 Node 是否为 {node} 或更新版本。",
  "commands.check.introVersion":
    "运行任何内容之前，它会先检查本机是否已安装与网关相同版本的 openclaw {version}，以及 Node 是否为 {node} 或更新版本。",
  "commands.check.missing": "clawshake：本机未安装 openclaw。请先安装，然后重新粘贴：{install}",
  "commands.check.version":
    "clawshake：本机的 openclaw 不是网关所运行的版本 {version}。请安装该版本，然后重新粘贴：{install}",
  "commands.check.node":
    "clawshake：OpenClaw 需要 Node {node} 或更新版本，而本机的 Node 版本过旧或未安装。请从 https://nodejs.org/zh-cn/download 安装 Node 24，然后重新粘贴。",
  "commands.foreground": "节点在此终端中运行：请保持终端打开。按 Ctrl+C 可停止节点。",
  "commands.service.connect": "它会先完成本机配对，再安装一个用户服务，由该服务自动启动节点。",
  "commands.service.install":
    "它会把节点安装为用户服务：Linux 上为 systemd，macOS 上为 launchd，Windows 上为任务计划程序。",
  "commands.service.restart": "如果审批后聊天中提示你重新启动节点，请运行：openclaw node restart",
  "commands.fingerprint": "只有当网关证书的 SHA-256 指纹与此一致时，节点才会信任该网关。",
  "commands.token.env": "网关令牌只通过环境变量传递，绝不会出现在命令行中。",
  "commands.token.history": "在已相应配置的 Shell 中，下一行开头的空格可使令牌不被记入命令历史。",
  "commands.token.replace": "请将下面引号中的占位文字替换为网关令牌，并保留引号。",
  "commands.token.guard": "请先设置网关令牌：用它替换上方的占位文字，然后重新粘贴。",
  "commands.pairing.rerun":
    "如果节点输出 pairing required，请等待聊天中的审批完成；只有聊天中请你再次运行时，才再次运行同一条命令。",
  "commands.rerun.token":
    "网关令牌仍设置在该终端中，因此不再发送。如果在新的终端中运行，请先按之前消息中的方法设置它。",
  "commands.rerun.guard": "此终端中没有设置网关令牌：请按之前消息中的方法设置它，然后重新粘贴。",
  "commands.legacy.warning":
    "警告：仅适用于停用 node.json 之前的旧版 OpenClaw。在当前版本的 OpenClaw 上，此文件会使节点无法工作：每条 node 命令都会报错 retired node-host state remains… 请改用 run 或 install 命令。",
  "commands.legacy.file":
    "节点会从主目录下 .openclaw 文件夹中的 node.json 读取网关地址和证书指纹。",
};
