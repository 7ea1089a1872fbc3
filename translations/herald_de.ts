<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Formats</name>
    <message>
        <source>%1d %2h %3m</source>
        <translation>%1 d %2 h %3 min</translation>
    </message>
    <message>
        <source>%1h %2m %3s</source>
        <translation>%1 h %2 min %3 s</translation>
    </message>
    <message>
        <source>%1m %2s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1s</source>
        <translation>%1 s</translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LocalService</name>
    <message>
        <source>%1 does not exist: is the herald package installed?</source>
        <translation>%1 gibt es nicht: Ist das Paket herald installiert?</translation>
    </message>
    <message>
        <source>%1 cannot be read: add yourself to the %2 group (sudo adduser $USER %2), then log in again.</source>
        <translation>%1 ist nicht lesbar: Treten Sie der Gruppe %2 bei (sudo adduser $USER %2) und melden Sie sich neu an.</translation>
    </message>
    <message>
        <source>%1 has no ADMIN_TOKEN.</source>
        <translation>%1 enthält kein ADMIN_TOKEN.</translation>
    </message>
    <message>
        <source>herald.service is not running at %1; this is an embedded server on a free port.</source>
        <translation>herald.service läuft nicht unter %1; dies ist ein eingebetteter Server auf einem freien Port.</translation>
    </message>
</context>
<context>
    <name>ServerMessages</name>
    <message>
        <source>The server is shutting down; nothing was sent.</source>
        <translation>Der Server fährt herunter; nichts wurde gesendet.</translation>
    </message>
    <message>
        <source>Not connected to the server; nothing was sent.</source>
        <translation>Nicht mit dem Server verbunden; nichts wurde gesendet.</translation>
    </message>
    <message>
        <source>The server refused the notification: %1</source>
        <translation>Der Server hat die Benachrichtigung abgelehnt: %1</translation>
    </message>
    <message>
        <source>The server does not know this command; it may be an older version.</source>
        <translation>Der Server kennt diesen Befehl nicht; vielleicht ist er eine ältere Version.</translation>
    </message>
    <message>
        <source>The server could not read the command.</source>
        <translation>Der Server konnte den Befehl nicht lesen.</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>Kann nicht auf %1:%2 lauschen: %3</translation>
    </message>
</context>
<context>
    <name>herald::console::AttachDialog</name>
    <message>
        <source>&amp;Attach</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Attach to a running server</source>
        <translation>Mit laufendem Server verbinden</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>Admin token</source>
        <translation>Admin-Token</translation>
    </message>
    <message>
        <source>The server&apos;s ADMIN_TOKEN</source>
        <translation>ADMIN_TOKEN des Servers</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>Server-&amp;URL:</translation>
    </message>
    <message>
        <source>Admin &amp;token:</source>
        <translation>Admin-&amp;Token:</translation>
    </message>
    <message>
        <source>Why the console asks again</source>
        <translation>Warum die Konsole erneut fragt</translation>
    </message>
</context>
<context>
    <name>herald::console::ClientTableModel</name>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation>Gegenstelle</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identität</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Msgs in</source>
        <translation>Nachr. ein</translation>
    </message>
    <message>
        <source>Msgs out</source>
        <translation>Nachr. aus</translation>
    </message>
    <message>
        <source>Bytes in</source>
        <translation>Bytes ein</translation>
    </message>
    <message>
        <source>Bytes out</source>
        <translation>Bytes aus</translation>
    </message>
    <message>
        <source>Ping RTT</source>
        <translation>Ping-RTT</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>wird geschlossen</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Instanz</translation>
    </message>
</context>
<context>
    <name>herald::console::ClientTablePanel</name>
    <message>
        <source>Filter clients by any column</source>
        <translation>Clients nach beliebiger Spalte filtern</translation>
    </message>
    <message>
        <source>Client filter</source>
        <translation>Client-Filter</translation>
    </message>
    <message>
        <source>Connected clients</source>
        <translation>Verbundene Clients</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n Client</numerusform>
            <numerusform>%n Clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n client(s) shown</source>
        <translation>
            <numerusform>%1 von %n Client angezeigt</numerusform>
            <numerusform>%1 von %n Clients angezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>Client count</source>
        <translation>Anzahl der Clients</translation>
    </message>
    <message>
        <source>Stale view</source>
        <translation>Veraltete Ansicht</translation>
    </message>
    <message>
        <source>Right-click to choose the columns</source>
        <translation>Rechtsklick, um die Spalten zu wählen</translation>
    </message>
    <message>
        <source>Stale since %1: the link to the server is down, so these rows show the clients as they were then. The table is refreshed when the console reconnects.</source>
        <translation>Veraltet seit %1: Die Verbindung zum Server ist unterbrochen; die Zeilen zeigen die Clients, wie sie damals waren. Die Tabelle wird erneuert, sobald die Konsole wieder verbunden ist.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>herald::console::ComposerPanel</name>
    <message>
        <source>&amp;All clients</source>
        <translation>&amp;Alle Clients</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>What every client should read</source>
        <translation>Was jeder Client lesen soll</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Message type</source>
        <translation>Nachrichtentyp</translation>
    </message>
    <message>
        <source>Optional JSON object, e.g. {&quot;build&quot;: 42}</source>
        <translation>Optionales JSON-Objekt, z. B. {&quot;build&quot;: 42}</translation>
    </message>
    <message>
        <source>Data (JSON)</source>
        <translation>Daten (JSON)</translation>
    </message>
    <message>
        <source>Data error</source>
        <translation>Datenfehler</translation>
    </message>
    <message>
        <source>Send to selected clients</source>
        <translation>An ausgewählte Clients senden</translation>
    </message>
    <message>
        <source>Send to the chosen clients (Ctrl+Return)</source>
        <translation>An die gewählten Clients senden (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Why Send is disabled</source>
        <translation>Warum Senden nicht möglich ist</translation>
    </message>
    <message>
        <source>Sent history</source>
        <translation>Gesendete Nachrichten</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Nachricht:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Data:</source>
        <translation>&amp;Daten:</translation>
    </message>
    <message>
        <source>Send to:</source>
        <translation>Senden an:</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Gesendet:</translation>
    </message>
    <message>
        <source>Se&amp;lected clients (%1)</source>
        <translation>Aus&amp;gewählte Clients (%1)</translation>
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <source>Data must be a JSON object ({…}), not an array or a value.</source>
        <translation>Daten müssen ein JSON-Objekt ({…}) sein, kein Array und kein einzelner Wert.</translation>
    </message>
    <message>
        <source>Not connected to a server.</source>
        <translation>Nicht mit einem Server verbunden.</translation>
    </message>
    <message>
        <source>Write a message first.</source>
        <translation>Bitte zuerst eine Nachricht schreiben.</translation>
    </message>
    <message>
        <source>Type %1.</source>
        <translation>Typ: %1.</translation>
    </message>
    <message>
        <source>Data is not a valid JSON object.</source>
        <translation>Die Daten sind kein gültiges JSON-Objekt.</translation>
    </message>
    <message>
        <source>Select clients in the table first.</source>
        <translation>Bitte zuerst Clients in der Tabelle auswählen.</translation>
    </message>
    <message numerus="yes">
        <source>Sent to %n client(s)</source>
        <translation>
            <numerusform>An %n Client gesendet</numerusform>
            <numerusform>An %n Clients gesendet</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation>Der Server fährt herunter.</translation>
    </message>
    <message>
        <source>Send to every client?</source>
        <translation>An alle Clients senden?</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) are selected in the table, but the target is All clients. Send to every client?</source>
        <translation>
            <numerusform>%n Client ist in der Tabelle ausgewählt, das Ziel ist aber „Alle Clients“. An alle Clients senden?</numerusform>
            <numerusform>%n Clients sind in der Tabelle ausgewählt, das Ziel ist aber „Alle Clients“. An alle Clients senden?</numerusform>
        </translation>
    </message>
    <message>
        <source>Send to &amp;All</source>
        <translation>An &amp;alle senden</translation>
    </message>
    <message>
        <source>The server has stopped.</source>
        <translation>Der Server ist beendet.</translation>
    </message>
    <message>
        <source>The link to the server is down.</source>
        <translation>Die Verbindung zum Server ist unterbrochen.</translation>
    </message>
    <message>
        <source>C&amp;hannels:</source>
        <translation>&amp;Kanäle:</translation>
    </message>
    <message>
        <source>&amp;Users:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>orders.42, team:7</source>
        <translation>orders.42, team:7</translation>
    </message>
    <message>
        <source>Target channels</source>
        <translation>Zielkanäle</translation>
    </message>
    <message>
        <source>alice, bob (the sub of their tokens)</source>
        <translation>alice, bob (das „sub“ ihrer Tokens)</translation>
    </message>
    <message>
        <source>Target users</source>
        <translation>Zielbenutzer</translation>
    </message>
    <message>
        <source>Name a user first.</source>
        <translation>Zuerst einen Benutzer nennen.</translation>
    </message>
    <message>
        <source>At most %1 users at once.</source>
        <translation>Höchstens %1 Benutzer auf einmal.</translation>
    </message>
    <message>
        <source>Name a channel first.</source>
        <translation>Zuerst einen Kanal nennen.</translation>
    </message>
    <message>
        <source>A channel name is 1 to %1 letters, digits and _ . : - @.</source>
        <translation>Ein Kanalname besteht aus 1 bis %1 Buchstaben, Ziffern und _ . : - @.</translation>
    </message>
    <message>
        <source>At most %1 channels at once.</source>
        <translation>Höchstens %1 Kanäle auf einmal.</translation>
    </message>
    <message>
        <source>Ask clients to ac&amp;knowledge</source>
        <translation>&amp;Bestätigung der Clients anfordern</translation>
    </message>
    <message>
        <source>Each client confirms it has the notification; the sent list counts the confirmations</source>
        <translation>Jeder Client bestätigt, dass er die Benachrichtigung hat; die Liste der gesendeten zählt die Bestätigungen</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n acknowledged</source>
        <translation>
            <numerusform>%1 von %n bestätigt</numerusform>
            <numerusform>%1 von %n bestätigt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::console::ConsoleState</name>
    <message>
        <source>No server. Run the embedded server or attach to one.</source>
        <translation>Kein Server. Starten Sie den eingebetteten Server oder verbinden Sie sich mit einem.</translation>
    </message>
    <message>
        <source>Starting the embedded server…</source>
        <translation>Der eingebettete Server startet …</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>Läuft: %1</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <source>%1 is shutting down: step %2 of 6</source>
        <translation>%1 fährt herunter: Schritt %2 von 6</translation>
    </message>
    <message>
        <source>Server stopped: %1</source>
        <translation>Server beendet: %1</translation>
    </message>
    <message>
        <source>Link to %1 lost at %2; the view is stale. Reconnecting…</source>
        <translation>Verbindung zu %1 um %2 verloren; die Ansicht ist veraltet. Verbinde neu …</translation>
    </message>
    <message>
        <source>Cannot reach %1 (%2). Retrying…</source>
        <translation>%1 ist nicht erreichbar (%2). Neuer Versuch …</translation>
    </message>
    <message>
        <source>%1 refused the admin token. Attach again with the right one.</source>
        <translation>%1 hat das Admin-Token abgelehnt. Verbinden Sie sich erneut mit dem richtigen.</translation>
    </message>
</context>
<context>
    <name>herald::console::EmbeddedLink</name>
    <message>
        <source>The embedded server has shut down.</source>
        <translation>Der eingebettete Server wurde beendet.</translation>
    </message>
    <message>
        <source>embedded server on %1:%2</source>
        <translation>eingebetteter Server auf %1:%2</translation>
    </message>
</context>
<context>
    <name>herald::console::LogPanel</name>
    <message>
        <source>Minimum log level</source>
        <translation>Minimale Protokollstufe</translation>
    </message>
    <message>
        <source>Server log</source>
        <translation>Serverprotokoll</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Mitlaufen</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Filter the log</source>
        <translation>Protokoll filtern</translation>
    </message>
    <message>
        <source>Log filter</source>
        <translation>Protokollfilter</translation>
    </message>
    <message>
        <source>Keep the newest record in view</source>
        <translation>Den neuesten Eintrag im Blick behalten</translation>
    </message>
    <message>
        <source>Hold new records back; they are shown when you resume</source>
        <translation>Neue Einträge zurückhalten; sie erscheinen beim Fortsetzen</translation>
    </message>
    <message>
        <source>Held records</source>
        <translation>Zurückgehaltene Einträge</translation>
    </message>
    <message>
        <source>Select a record to see all its fields</source>
        <translation>Wählen Sie einen Eintrag, um alle seine Felder zu sehen</translation>
    </message>
    <message>
        <source>Record details</source>
        <translation>Eintragsdetails</translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation>&amp;Stufe:</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) not shown: the server logged faster than the console shows</source>
        <translation>
            <numerusform>%n Eintrag nicht angezeigt: Der Server protokolliert schneller, als die Konsole anzeigt</numerusform>
            <numerusform>%n Einträge nicht angezeigt: Der Server protokolliert schneller, als die Konsole anzeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n held</source>
        <translation>
            <numerusform>%n zurückgehalten</numerusform>
            <numerusform>%n zurückgehalten</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
</context>
<context>
    <name>herald::console::LogTableModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
</context>
<context>
    <name>herald::console::MainWindow</name>
    <message>
        <source>Herald Admin Console</source>
        <translation>Herald-Verwaltungskonsole</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Verbindungszustand</translation>
    </message>
    <message>
        <source>&amp;Attach to Server…</source>
        <translation>Mit Server &amp;verbinden …</translation>
    </message>
    <message>
        <source>Watch a running herald-server through its admin channel</source>
        <translation>Einen laufenden herald-server über seinen Admin-Kanal beobachten</translation>
    </message>
    <message>
        <source>Run &amp;Embedded Server</source>
        <translation>&amp;Eingebetteten Server starten</translation>
    </message>
    <message>
        <source>Run the server inside the console</source>
        <translation>Den Server in der Konsole ausführen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>Ein&amp;stellungen …</translation>
    </message>
    <message>
        <source>Edit the embedded server&apos;s settings</source>
        <translation>Einstellungen des eingebetteten Servers bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Compose Broadcast</source>
        <translation>&amp;Rundsendung verfassen</translation>
    </message>
    <message>
        <source>Write a notification for the clients</source>
        <translation>Eine Benachrichtigung für die Clients schreiben</translation>
    </message>
    <message>
        <source>S&amp;hut Down Gracefully…</source>
        <translation>Geordnet &amp;herunterfahren …</translation>
    </message>
    <message>
        <source>Tell every client, wait for them to leave, then stop the server</source>
        <translation>Alle Clients benachrichtigen, ihr Trennen abwarten, dann den Server beenden</translation>
    </message>
    <message>
        <source>&amp;Filter Clients</source>
        <translation>Clients &amp;filtern</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>Verfassen</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Messwerte</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Herald</source>
        <translation>Ü&amp;ber Herald</translation>
    </message>
    <message>
        <source>About Herald</source>
        <translation>Über Herald</translation>
    </message>
    <message>
        <source>&lt;b&gt;Herald&lt;/b&gt; %1&lt;br&gt;Real-time notification server and admin console.</source>
        <translation>&lt;b&gt;Herald&lt;/b&gt; %1&lt;br&gt;Echtzeit-Benachrichtigungsserver und Verwaltungskonsole.</translation>
    </message>
    <message>
        <source>Shut down the server?</source>
        <translation>Server herunterfahren?</translation>
    </message>
    <message>
        <source>Shut &amp;Down</source>
        <translation>&amp;Herunterfahren</translation>
    </message>
    <message>
        <source>Embedded server not started</source>
        <translation>Eingebetteter Server nicht gestartet</translation>
    </message>
    <message>
        <source>%1 – Herald Admin Console</source>
        <translation>%1 – Herald-Verwaltungskonsole</translation>
    </message>
    <message>
        <source>Shut down %1?

Every client is told, the server waits up to %2 for them to leave, then closes the rest. New clients are refused.</source>
        <translation>%1 herunterfahren?

Jeder Client wird benachrichtigt, der Server wartet bis zu %2, bis sie gegangen sind, und schließt dann die übrigen. Neue Clients werden abgewiesen.</translation>
    </message>
    <message>
        <source>%1

Attach to a running server instead, or change the settings.</source>
        <translation>%1

Verbinden Sie sich stattdessen mit einem laufenden Server oder ändern Sie die Einstellungen.</translation>
    </message>
    <message>
        <source>%1 refused the admin token. Enter the server&apos;s ADMIN_TOKEN.</source>
        <translation>%1 hat das Admin-Token abgelehnt. Geben Sie das ADMIN_TOKEN des Servers ein.</translation>
    </message>
</context>
<context>
    <name>herald::console::MetricsPanel</name>
    <message>
        <source>Active connections</source>
        <translation>Aktive Verbindungen</translation>
    </message>
    <message>
        <source>Connections since start</source>
        <translation>Verbindungen seit Start</translation>
    </message>
    <message>
        <source>Refused connections</source>
        <translation>Abgewiesene Verbindungen</translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation>Gesendete Nachrichten</translation>
    </message>
    <message>
        <source>Messages received</source>
        <translation>Empfangene Nachrichten</translation>
    </message>
    <message>
        <source>Notifications broadcast</source>
        <translation>Rundsendungen</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Sent/s</source>
        <translation>Gesendet/s</translation>
    </message>
    <message>
        <source>Received/s</source>
        <translation>Empfangen/s</translation>
    </message>
    <message>
        <source>Messages per second</source>
        <translation>Nachrichten pro Sekunde</translation>
    </message>
</context>
<context>
    <name>herald::console::RemoteLink</name>
    <message>
        <source>The server refused the admin token.</source>
        <translation>Der Server hat das Admin-Token abgelehnt.</translation>
    </message>
    <message>
        <source>The server has shut down.</source>
        <translation>Der Server wurde heruntergefahren.</translation>
    </message>
</context>
<context>
    <name>herald::console::SettingsDialog</name>
    <message>
        <source>&amp;Save and restart server</source>
        <translation>&amp;Speichern und Server neu starten</translation>
    </message>
    <message>
        <source>Server settings</source>
        <translation>Servereinstellungen</translation>
    </message>
    <message>
        <source>Set by the %1, which wins over .env</source>
        <translation>Festgelegt durch %1, das Vorrang vor .env hat</translation>
    </message>
    <message>
        <source>Saved to %1. Restarting the embedded server disconnects its clients.</source>
        <translation>Wird in %1 gespeichert. Ein Neustart des eingebetteten Servers trennt seine Clients.</translation>
    </message>
    <message>
        <source>Expected %1</source>
        <translation>Erwartet: %1</translation>
    </message>
    <message>
        <source>Settings not saved</source>
        <translation>Einstellungen nicht gespeichert</translation>
    </message>
</context>
<context>
    <name>herald::console::ShutdownDialog</name>
    <message>
        <source>Close &amp;all now</source>
        <translation>&amp;Alle jetzt schließen</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Graceful shutdown</source>
        <translation>Geordnetes Herunterfahren</translation>
    </message>
    <message>
        <source>Shutdown steps</source>
        <translation>Schritte des Herunterfahrens</translation>
    </message>
    <message>
        <source>Clients still connected</source>
        <translation>Noch verbundene Clients</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Verbleibende Zeit</translation>
    </message>
    <message>
        <source>Stop waiting: close every remaining client now with code 1001</source>
        <translation>Nicht länger warten: alle übrigen Clients jetzt mit Code 1001 schließen</translation>
    </message>
    <message>
        <source>Stop accepting new connections</source>
        <translation>Keine neuen Verbindungen annehmen</translation>
    </message>
    <message>
        <source>Stop periodic notifications</source>
        <translation>Periodische Benachrichtigungen stoppen</translation>
    </message>
    <message>
        <source>Tell every client</source>
        <translation>Alle Clients benachrichtigen</translation>
    </message>
    <message>
        <source>Wait for clients to leave</source>
        <translation>Warten, bis die Clients sich trennen</translation>
    </message>
    <message>
        <source>Close the remaining clients</source>
        <translation>Übrige Clients schließen</translation>
    </message>
    <message>
        <source>Flush logs and stop</source>
        <translation>Protokolle schreiben und beenden</translation>
    </message>
    <message>
        <source>The server has shut down.</source>
        <translation>Der Server wurde beendet.</translation>
    </message>
    <message>
        <source>Shutting down &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; wird heruntergefahren</translation>
    </message>
    <message>
        <source>Clients that have left</source>
        <translation>Gegangene Clients</translation>
    </message>
    <message>
        <source>%v of %m clients left</source>
        <translation>%v von %m Clients gegangen</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Clients still connected: %1 of %2</source>
        <translation>Noch verbundene Clients: %1 von %2</translation>
    </message>
    <message>
        <source>Time left before closing them: %1</source>
        <translation>Verbleibende Zeit bis zum Schließen: %1</translation>
    </message>
    <message>
        <source>Clients still connected: 0</source>
        <translation>Noch verbundene Clients: 0</translation>
    </message>
    <message>
        <source>The link to the server was lost during its shutdown; the console reconnects when the server is back.</source>
        <translation>Die Verbindung zum Server ging während des Herunterfahrens verloren; die Konsole verbindet sich neu, sobald der Server zurück ist.</translation>
    </message>
</context>
</TS>
