// Strings of the diagnose module, English and Simplified Chinese; keys start with "diagnose.".
// Each code has a `text` (what the node's message means) and an `advice` (what to check, what to run).

export const diagnoseEn = {
  "diagnose.CONNECTED.text": "The node is connected to the gateway.",
  "diagnose.CONNECTED.advice":
    "Nothing to fix. On the gateway host, `openclaw nodes status` should list the node as approved and connected. If its commands still wait for approval, they are in `openclaw nodes pending`.",

  "diagnose.FINGERPRINT_MISMATCH.text":
    "The gateway's TLS certificate is not the one the node was told to trust (fingerprint mismatch).",
  "diagnose.FINGERPRINT_MISMATCH.advice":
    "On the gateway host, read the fingerprint again: `openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout`. The certificate may have been regenerated since the fingerprint was shared, or the node reaches another machine (wrong host, a proxy in between). Run the node again with the new value in `--tls-fingerprint`; colons in it are fine with current OpenClaw.",

  "diagnose.FINGERPRINT_INVALID.text":
    "The value given to `--tls-fingerprint` is not a SHA-256 fingerprint, so the node stopped before connecting.",
  "diagnose.FINGERPRINT_INVALID.advice":
    "Use the SHA-256 fingerprint: 64 hex digits (colons and a `sha256:` prefix are accepted). Read it on the gateway host with `openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout`. A SHA-1 value (40 digits) or a copy that lost characters is refused.",

  "diagnose.TOKEN_MISMATCH.text":
    "The gateway refused the node's gateway token: it does not match.",
  "diagnose.TOKEN_MISMATCH.advice":
    "The node reads the token only from the OPENCLAW_GATEWAY_TOKEN environment variable: set it again in the shell that runs `openclaw node run`, as the bot's script does: `export OPENCLAW_GATEWAY_TOKEN='<token>'` (PowerShell: `$env:OPENCLAW_GATEWAY_TOKEN = '<token>'`), with the token exactly as received between the single quotes, nothing added or left out; for an installed service, run `openclaw node install … --force` again from a shell where it is set. On the gateway host the right value is $OPENCLAW_GATEWAY_TOKEN, else gateway.auth.token in the config file (`openclaw config file` prints its path; `openclaw config get` shows the token only redacted). If the token was changed on the gateway, ask the gateway operator for the current one, privately.",

  "diagnose.TOKEN_MISSING.text":
    "The node connected without a gateway token, and the gateway requires one.",
  "diagnose.TOKEN_MISSING.advice":
    "Set the OPENCLAW_GATEWAY_TOKEN environment variable to the token the gateway operator sent you privately, in the same shell (or service environment) that runs the node, as the bot's script does: `export OPENCLAW_GATEWAY_TOKEN='<token>'` (PowerShell: `$env:OPENCLAW_GATEWAY_TOKEN = '<token>'`), the token between the single quotes. Then run the node again. `--token` is not an option of node commands. On the gateway host the token is $OPENCLAW_GATEWAY_TOKEN, else gateway.auth.token in the config file (`openclaw config get` shows it only redacted).",

  "diagnose.CONNECTION_REFUSED.text":
    "Nothing accepted the connection at that address and port (connection refused).",
  "diagnose.CONNECTION_REFUSED.advice":
    "Check that the gateway is running (`openclaw gateway status` on its host) and that the node uses the gateway's port (default 18789; `openclaw config get gateway.port`). If the address in the error is 127.0.0.1 or localhost, the node is trying its own machine: pass the gateway host's address in `--host`. The gateway must also listen beyond loopback (gateway.bind set to lan or custom), and no firewall may block the port: test from the node machine with `nc -zv <gateway-host> 18789`.",

  "diagnose.HOST_NOT_FOUND.text": "The node could not look up the gateway's host name (DNS).",
  "diagnose.HOST_NOT_FOUND.advice":
    "Check the spelling of `--host` and try `nslookup <gateway-host>` on the node machine. ENOTFOUND means the name does not exist for this machine: a name that only exists on a private network (a LAN, Tailscale MagicDNS) needs the node on that network, or use the gateway's IP address. EAI_AGAIN means DNS did not answer: check the node machine's network and try again.",

  "diagnose.TLS_EXPECTED.text":
    "The gateway hung up during the handshake: it expects TLS and the node connected without it.",
  "diagnose.TLS_EXPECTED.advice":
    "Run the node again with `--tls --tls-fingerprint <fingerprint>`, using the fingerprint the gateway operator gave you (on the gateway host: `openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout`).",

  "diagnose.PAIRING_REQUIRED.text":
    "The gateway saw this new device and is waiting for someone to approve its pairing request.",
  "diagnose.PAIRING_REQUIRED.advice":
    "On the gateway host the request is in `openclaw devices list` (not in `openclaw nodes pending`). Approve it with `openclaw devices approve {requestId}`, or on the Devices page of the Control UI. A node that has printed “waiting for operator action” does not resume after this approval: stop it (Ctrl+C) and run the same command again (an installed service: `openclaw node restart`); one approved while it still retried carries on by itself. Its commands then wait for a second approval in `openclaw nodes pending`.",

  "diagnose.CAPABILITY_APPROVAL_PENDING.text":
    "The device is paired; the node's commands (such as system.run) wait for an operator's approval.",
  "diagnose.CAPABILITY_APPROVAL_PENDING.advice":
    "On the gateway host, review the request in `openclaw nodes pending`, then approve it with `openclaw nodes approve {requestId}`. These commands let the gateway run programs on the node machine: approve only a node you expect. The node retries by itself within seconds; there is no need to restart it.",

  "diagnose.SETUP_CODE_INVALID.text":
    "The gateway refused the setup link: it was already used, has expired, or was revoked.",
  "diagnose.SETUP_CODE_INVALID.advice":
    "A setup link works once and for 10 minutes only. Ask the approver for a new link and run the command that comes with it; do not run the old one again.",

  "diagnose.NODE_STATE_RETIRED.text":
    "The node found a ~/.openclaw/node.json file, a state format current OpenClaw no longer reads, and stopped.",
  "diagnose.NODE_STATE_RETIRED.advice":
    'Stop the node, delete ~/.openclaw/node.json (writing that file by hand, "method C" of older guides, is retired and breaks current nodes), then run `openclaw doctor --fix`. After that, start the node with the command the bot sent you.',

  "diagnose.DEVICE_IDENTITY_CHANGED.text":
    "The gateway knows this device, but its identity details changed, so it must be approved again.",
  "diagnose.DEVICE_IDENTITY_CHANGED.advice":
    "On the gateway host, find the request in `openclaw devices list` and approve it with `openclaw devices approve {requestId}`. Every attempt can create a new request, so approve the newest one (`openclaw devices approve --latest` shows it first). Then stop the node and run it again.",

  "diagnose.PROXY_REJECTED.text":
    "Something between the node and the gateway (a reverse proxy, Tailscale Serve) refused the WebSocket connection with HTTP 400.",
  "diagnose.PROXY_REJECTED.advice":
    "If the network allows it, point the node straight at the gateway's host and port. Otherwise the proxy must forward WebSocket upgrades (the Upgrade and Connection headers) to the gateway's port; its own log shows why it answered 400.",

  "diagnose.DEVICE_TOKEN_MISMATCH.text":
    "The gateway no longer accepts the device token this node saved when it was paired (for example, the device was removed).",
  "diagnose.DEVICE_TOKEN_MISMATCH.advice":
    "Run the node once more: the refused attempt cleared the stale token, and the next one asks to pair again. Then approve the new request from `openclaw devices list` with `openclaw devices approve <requestId>` and run the node again. If it keeps failing, remove the node on the gateway host (`openclaw nodes remove --node <name>`) and pair it again.",

  "diagnose.DEVICE_REMOVED.text":
    "A gateway operator removed this node: the gateway closed its connection (device removed) and no longer accepts its credentials.",
  "diagnose.DEVICE_REMOVED.advice":
    "This is on purpose, not a fault: the node stays disconnected and asks nothing by itself. Stop it (Ctrl+C; an installed service: `openclaw node uninstall`). If it should come back, ask for it again with the bot's connect command and approve the new request; running the old command again does not bring it back.",

  "diagnose.COMMANDS_UNAVAILABLE.text":
    "The node refused to start: none of the commands in its --commands exists on this machine.",
  "diagnose.COMMANDS_UNAVAILABLE.advice":
    "The approvers granted only commands this node does not have (a headless Linux node has no canvas or camera commands). Ask for the node again naming commands it has (for example system.which), or ask the approvers for all but those that run programs.",

  "diagnose.UNKNOWN.text": "No known OpenClaw node message was found in this log.",
  "diagnose.UNKNOWN.advice":
    'Paste what the node printed after `openclaw node run`, including the last lines; the useful ones start with "node host gateway". For an installed service, check it with `openclaw node status` and paste the lines from its log.',
} as const;

export const diagnoseZh: Record<keyof typeof diagnoseEn, string> = {
  "diagnose.CONNECTED.text": "节点已连接到网关。",
  "diagnose.CONNECTED.advice":
    "无需处理。在网关主机上运行 `openclaw nodes status`，应能看到该节点已批准且已连接。如果它的命令仍在等待批准，可在 `openclaw nodes pending` 中找到。",

  "diagnose.FINGERPRINT_MISMATCH.text":
    "网关的 TLS 证书与节点被告知要信任的证书不一致（指纹不匹配）。",
  "diagnose.FINGERPRINT_MISMATCH.advice":
    "在网关主机上重新读取指纹：`openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout`。证书可能在分享指纹之后重新生成过，或者节点连到了另一台机器（主机填错、中间有代理）。把新值填入 `--tls-fingerprint` 后重新运行节点；当前版本的 OpenClaw 接受带冒号的指纹。",

  "diagnose.FINGERPRINT_INVALID.text":
    "传给 `--tls-fingerprint` 的值不是 SHA-256 指纹，节点在连接前就停止了。",
  "diagnose.FINGERPRINT_INVALID.advice":
    "请使用 SHA-256 指纹：64 位十六进制数字（可以带冒号或 `sha256:` 前缀）。在网关主机上用 `openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout` 读取。SHA-1 值（40 位）或复制时丢了字符的值都会被拒绝。",

  "diagnose.TOKEN_MISMATCH.text": "网关拒绝了节点提供的网关令牌：令牌不匹配。",
  "diagnose.TOKEN_MISMATCH.advice":
    "节点只从环境变量 OPENCLAW_GATEWAY_TOKEN 读取令牌：在运行 `openclaw node run` 的同一个终端里，按机器人脚本中的写法重新设置它：`export OPENCLAW_GATEWAY_TOKEN='<token>'`（PowerShell：`$env:OPENCLAW_GATEWAY_TOKEN = '<token>'`），把收到的令牌原样放在单引号之间，不多也不少任何字符；如果节点是已安装的服务，请在设置好该变量的终端里重新运行 `openclaw node install … --force`。在网关主机上，正确的值是 $OPENCLAW_GATEWAY_TOKEN，否则是配置文件中的 gateway.auth.token（`openclaw config file` 会打印配置文件路径；`openclaw config get` 只显示打码后的令牌）。如果网关上的令牌已更换，请私下向网关运维者索取当前令牌。",

  "diagnose.TOKEN_MISSING.text": "节点连接时没有提供网关令牌，而网关要求提供。",
  "diagnose.TOKEN_MISSING.advice":
    "在运行节点的同一个终端（或服务环境）中，按机器人脚本中的写法，把环境变量 OPENCLAW_GATEWAY_TOKEN 设为网关运维者私下发给你的令牌：`export OPENCLAW_GATEWAY_TOKEN='<token>'`（PowerShell：`$env:OPENCLAW_GATEWAY_TOKEN = '<token>'`），令牌放在单引号之间。然后重新运行节点。节点命令没有 `--token` 选项。在网关主机上，令牌是 $OPENCLAW_GATEWAY_TOKEN，否则是配置文件中的 gateway.auth.token（`openclaw config get` 只显示打码后的值）。",

  "diagnose.CONNECTION_REFUSED.text": "该地址和端口上没有程序接受连接（连接被拒绝）。",
  "diagnose.CONNECTION_REFUSED.advice":
    "确认网关正在运行（在网关主机上运行 `openclaw gateway status`），并且节点使用的是网关的端口（默认 18789；可用 `openclaw config get gateway.port` 查看）。如果错误中的地址是 127.0.0.1 或 localhost，说明节点在连接它自己的机器：请在 `--host` 中填写网关主机的地址。网关还必须监听回环以外的地址（gateway.bind 设为 lan 或 custom），且防火墙不能拦截该端口：可在节点机器上用 `nc -zv <gateway-host> 18789` 测试。",

  "diagnose.HOST_NOT_FOUND.text": "节点无法解析网关的主机名（DNS 查询失败）。",
  "diagnose.HOST_NOT_FOUND.advice":
    "检查 `--host` 的拼写，并在节点机器上试试 `nslookup <gateway-host>`。ENOTFOUND 表示这台机器找不到该名称：只在私有网络（局域网、Tailscale MagicDNS）中存在的名称，需要节点也在该网络中，或者改用网关的 IP 地址。EAI_AGAIN 表示 DNS 没有应答：请检查节点机器的网络后重试。",

  "diagnose.TLS_EXPECTED.text": "网关在握手时断开了连接：它要求 TLS，而节点没有使用 TLS 连接。",
  "diagnose.TLS_EXPECTED.advice":
    "加上 `--tls --tls-fingerprint <fingerprint>` 重新运行节点，指纹使用网关运维者提供的值（在网关主机上：`openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout`）。",

  "diagnose.PAIRING_REQUIRED.text": "网关发现了这台新设备，正在等待有人批准它的配对请求。",
  "diagnose.PAIRING_REQUIRED.advice":
    "在网关主机上，该请求位于 `openclaw devices list` 中（不在 `openclaw nodes pending` 中）。用 `openclaw devices approve {requestId}` 批准，或在控制界面（Control UI）的设备页面中批准。如果节点已输出 “waiting for operator action”，批准后它不会自动继续：请停止它（Ctrl+C）并重新运行同一条命令（已安装的服务：`openclaw node restart`）；在它仍在重试时就获批准的节点会自行继续。之后它的命令还需要在 `openclaw nodes pending` 中进行第二次批准。",

  "diagnose.CAPABILITY_APPROVAL_PENDING.text":
    "设备已配对；节点的命令（例如 system.run）正在等待运维者批准。",
  "diagnose.CAPABILITY_APPROVAL_PENDING.advice":
    "在网关主机上，先在 `openclaw nodes pending` 中查看该请求，再用 `openclaw nodes approve {requestId}` 批准。这些命令允许网关在节点机器上运行程序：只批准你预期中的节点。节点会在几秒内自动重试，无需重启。",

  "diagnose.SETUP_CODE_INVALID.text": "网关拒绝了该设置链接：它已被使用、已过期或已被撤销。",
  "diagnose.SETUP_CODE_INVALID.advice":
    "设置链接只能使用一次，且只在 10 分钟内有效。请向审批人索取新的链接，并运行随链接附带的命令；不要再运行旧的命令。",

  "diagnose.NODE_STATE_RETIRED.text":
    "节点发现了 ~/.openclaw/node.json 文件，当前版本的 OpenClaw 已不再读取这种状态格式，因此停止运行。",
  "diagnose.NODE_STATE_RETIRED.advice":
    "停止节点，删除 ~/.openclaw/node.json（旧指南中手写该文件的“方法 C”已废弃，会导致当前版本的节点无法运行），然后运行 `openclaw doctor --fix`。之后用机器人发给你的命令启动节点。",

  "diagnose.DEVICE_IDENTITY_CHANGED.text":
    "网关认识这台设备，但它的身份信息发生了变化，需要重新批准。",
  "diagnose.DEVICE_IDENTITY_CHANGED.advice":
    "在网关主机上，在 `openclaw devices list` 中找到该请求，并用 `openclaw devices approve {requestId}` 批准。每次连接尝试都可能产生新的请求，所以请批准最新的那个（`openclaw devices approve --latest` 会先显示它）。然后停止节点并重新运行。",

  "diagnose.PROXY_REJECTED.text":
    "节点与网关之间的某个组件（反向代理、Tailscale Serve）以 HTTP 400 拒绝了 WebSocket 连接。",
  "diagnose.PROXY_REJECTED.advice":
    "如果网络允许，让节点直接连接网关的主机和端口。否则，代理必须把 WebSocket 升级请求（Upgrade 和 Connection 头）转发到网关端口；代理自己的日志会说明它为何返回 400。",

  "diagnose.DEVICE_TOKEN_MISMATCH.text":
    "网关不再接受该节点配对时保存的设备令牌（例如该设备已被移除）。",
  "diagnose.DEVICE_TOKEN_MISMATCH.advice":
    "再运行一次节点：被拒绝的那次尝试已清除过期的令牌，下一次会重新请求配对。然后在 `openclaw devices list` 中找到新请求，用 `openclaw devices approve <requestId>` 批准，再重新运行节点。如果仍然失败，请在网关主机上移除该节点（`openclaw nodes remove --node <name>`）后重新配对。",

  "diagnose.DEVICE_REMOVED.text":
    "网关操作员移除了这个节点：网关关闭了它的连接（device removed），并且不再接受它的凭据。",
  "diagnose.DEVICE_REMOVED.advice":
    "这是有意为之，不是故障：节点会保持断开，也不会自行发起请求。请停止它（Ctrl+C；已安装的服务：`openclaw node uninstall`）。如果需要它回来，请用机器人的连接命令重新申请并批准新的请求；重新运行旧命令不会让它回来。",

  "diagnose.COMMANDS_UNAVAILABLE.text": "节点拒绝启动:其 --commands 中的命令在这台机器上都不存在。",
  "diagnose.COMMANDS_UNAVAILABLE.advice":
    "审批人只批准了此节点没有的命令(无界面的 Linux 节点没有 canvas 或 camera 命令)。请重新请求该节点并列出它具有的命令(例如 system.which),或请审批人批准除运行程序的命令以外的全部。",

  "diagnose.UNKNOWN.text": "在这段日志中没有找到已知的 OpenClaw 节点消息。",
  "diagnose.UNKNOWN.advice":
    "请粘贴节点在 `openclaw node run` 之后打印的内容，包括最后几行；有用的行以 “node host gateway” 开头。如果节点是已安装的服务，请用 `openclaw node status` 检查它，并粘贴其日志中的相关行。",
};
