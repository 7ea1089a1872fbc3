<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Formats</name>
    <message>
        <source>%1d %2h %3m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1h %2m %3s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1m %2s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalService</name>
    <message>
        <source>%1 does not exist: is the herald package installed?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: add yourself to the %2 group (sudo adduser $USER %2), then log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no ADMIN_TOKEN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>herald.service is not running at %1; this is an embedded server on a free port.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerMessages</name>
    <message>
        <source>The server is shutting down; nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the server; nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the notification: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not know this command; it may be an older version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not read the command.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::AttachDialog</name>
    <message>
        <source>&amp;Attach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach to a running server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s ADMIN_TOKEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin &amp;token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the console asks again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::ClientTableModel</name>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Msgs in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Msgs out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::ClientTablePanel</name>
    <message>
        <source>Filter clients by any column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right-click to choose the columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale since %1: the link to the server is down, so these rows show the clients as they were then. The table is refreshed when the console reconnects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n client</numerusform>
            <numerusform>%n clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n client(s) shown</source>
        <translation>
            <numerusform>%1 of %n client shown</numerusform>
            <numerusform>%1 of %n clients shown</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::ComposerPanel</name>
    <message>
        <source>&amp;All clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What every client should read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional JSON object, e.g. {&quot;build&quot;: 42}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to selected clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to the chosen clients (Ctrl+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why Send is disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;lected clients (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data must be a JSON object ({…}), not an array or a value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to a server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data is not a valid JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select clients in the table first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send to every client?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) are selected in the table, but the target is All clients. Send to every client?</source>
        <translation>
            <numerusform>%n client is selected in the table, but the target is All clients. Send to every client?</numerusform>
            <numerusform>%n clients are selected in the table, but the target is All clients. Send to every client?</numerusform>
        </translation>
    </message>
    <message>
        <source>Send to &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Sent to %n client(s)</source>
        <translation>
            <numerusform>Sent to %n client</numerusform>
            <numerusform>Sent to %n clients</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server has stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link to the server is down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hannels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Users:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>orders.42, team:7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alice, bob (the sub of their tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name a user first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 users at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name a channel first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A channel name is 1 to %1 letters, digits and _ . : - @.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 channels at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask clients to ac&amp;knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each client confirms it has the notification; the sent list counts the confirmations</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n acknowledged</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::console::ConsoleState</name>
    <message>
        <source>No server. Run the embedded server or attach to one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the embedded server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is shutting down: step %2 of 6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link to %1 lost at %2; the view is stale. Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach %1 (%2). Retrying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the admin token. Attach again with the right one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::EmbeddedLink</name>
    <message>
        <source>The embedded server has shut down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embedded server on %1:%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::LogPanel</name>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum log level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest record in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold new records back; they are shown when you resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a record to see all its fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) not shown: the server logged faster than the console shows</source>
        <translation>
            <numerusform>%n record not shown: the server logged faster than the console shows</numerusform>
            <numerusform>%n records not shown: the server logged faster than the console shows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n held</source>
        <translation>
            <numerusform>%n held</numerusform>
            <numerusform>%n held</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::LogTableModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::MainWindow</name>
    <message>
        <source>Herald Admin Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attach to Server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch a running herald-server through its admin channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;Embedded Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the server inside the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the embedded server&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compose Broadcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a notification for the clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;hut Down Gracefully…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell every client, wait for them to leave, then stop the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Herald&lt;/b&gt; %1&lt;br&gt;Real-time notification server and admin console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – Herald Admin Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down the server?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down %1?

Every client is told, the server waits up to %2 for them to leave, then closes the rest. New clients are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut &amp;Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedded server not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Attach to a running server instead, or change the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the admin token. Enter the server&apos;s ADMIN_TOKEN.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::MetricsPanel</name>
    <message>
        <source>Active connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections since start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications broadcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::RemoteLink</name>
    <message>
        <source>The server has shut down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the admin token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::SettingsDialog</name>
    <message>
        <source>&amp;Save and restart server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by the %1, which wins over .env</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1. Restarting the embedded server disconnects its clients.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::console::ShutdownDialog</name>
    <message>
        <source>Close &amp;all now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graceful shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutting down &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients still connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients that have left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m clients left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop waiting: close every remaining client now with code 1001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop accepting new connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop periodic notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell every client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for clients to leave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the remaining clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flush logs and stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients still connected: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left before closing them: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients still connected: 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server has shut down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link to the server was lost during its shutdown; the console reconnects when the server is back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
