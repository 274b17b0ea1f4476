function __p2pchat_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __p2pchat_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __p2pchat_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __p2pchat_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __p2pchat_parse_tokens -S
    set -l unparsed_tokens (__p2pchat_tokens -pc)
    switch $unparsed_tokens[1]
    case 'p2pchat'
        __p2pchat_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'chat'
            __p2pchat_parse_subcommand 0 'locator=' 'legacy-locator=' 'data-dir=' 'listen=' 'auto-accept=' 'downloads=' 'json' 'no-color' 'audio-in=' 'audio-out=' 'impair-loss=' 'impair-delay=' 'no-echo' 'new-identity' 'log-level=' 'version' 'h/help'
        case 'locator'
            __p2pchat_parse_subcommand 0 'listen=' 'db=' 'store=' 'store-password-file=' 'store-key-file=' 'store-pool-size=' 'data-dir=' 'legacy-password=' 'roster=' 'registration=' 'idle-timeout=' 'request-timeout=' 'max-connections=' 'max-connections-per-address=' 'legacy-ttl=' 'legacy-max-online=' 'legacy-login-rate=' 'registration-rate=' 'registration-rate-total=' 'hash-workers=' 'hash-queue-per-address=' 'login-failures=' 'login-failures-per-address=' 'login-penalty-max=' 'turn=' 'turn-secret-file=' 'log-level=' 'version' 'h/help'
        case 'echo'
            __p2pchat_parse_subcommand 0 'locator=' 'id=' 'data-dir=' 'listen=' 'log-level=' 'version' 'h/help'
        case 'send'
            __p2pchat_parse_subcommand -r 2 'data-dir=' 'user=' 'password-file=' 'locator=' 'log-level=' 'version' 'h/help'
        case 'file'
            __p2pchat_parse_subcommand 2 'data-dir=' 'user=' 'password-file=' 'locator=' 'log-level=' 'version' 'h/help'
        case 'status'
            __p2pchat_parse_subcommand 0 'data-dir=' 'user=' 'password-file=' 'locator=' 'log-level=' 'version' 'h/help'
        case 'bench'
            __p2pchat_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'locator'
                __p2pchat_parse_subcommand 0 'target=' 'connections=' 'duration=' 'modern' 'sessions=' 'rounds=' 'replicas' 'refserver=' 'storm=' 'logins=' 'presence-samples=' 'failover' 'failover-store=' 'failover-store-password-file=' 'failover-clients=' 'failover-kills=' 'log-level=' 'version' 'h/help'
            case 'attacks'
                __p2pchat_parse_subcommand 0 'duration=' 'log-level=' 'version' 'h/help'
            case 'messages'
                __p2pchat_parse_subcommand 0 'count=' 'concurrency=+' 'log-level=' 'version' 'h/help'
            case 'files'
                __p2pchat_parse_subcommand 0 'size=' 'runs=' 'ssh-port=' 'ssh-identity=' 'log-level=' 'version' 'h/help'
            case 'call'
                __p2pchat_parse_subcommand 0 'duration=' 'loss=' 'seed=' 'input=' 'output=' 'bitrate=' 'expected-loss=' 'opus-only' 'log-level=' 'version' 'h/help'
            case 'groups'
                __p2pchat_parse_subcommand 0 'members=+' 'count=' 'concurrency=' 'log-level=' 'version' 'h/help'
            case 'paths'
                __p2pchat_parse_subcommand 0 'tries=' 'size=' 'call-seconds=' 'relayed-connections=' 'log-level=' 'version' 'h/help'
            case 'echo-cancel'
                __p2pchat_parse_subcommand 0 'far=' 'near=' 'delay=' 'log-level=' 'version' 'h/help'
            end
        case 'help'
            __p2pchat_parse_subcommand -r 1 'version'
        end
    end
end

function __p2pchat_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __p2pchat_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __p2pchat_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __p2pchat_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__p2pchat_tokens -p)
    if test -z "$(__p2pchat_tokens -t)"
        set -l index (count (__p2pchat_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'p2pchat' -f
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'chat' -d 'Start the chat shell (the default).'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'locator' -d 'Run the locator server that tells clients who is online and where.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'echo' -d 'Run the echo user: it befriends anyone, echoes messages, hashes files and plays calls back.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'send' -d 'Send a message from the shell that is running, or from a login of its own.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'file' -d 'Offer a file from the shell that is running, or from a login of its own.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'status' -d 'Print the status of the shell that is running: who, the locator, friends online, what is queued.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'bench' -d 'Measure p2pchat\'s parts and print the figures.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" locator' -l 'locator' -d 'The locator to use; several replicas of one service are separated by commas (a:8000,b:8000), and a host name stands for all its addresses. Without it, 127.0.0.1:8000 is used, and started inside this process if nothing answers there.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" legacy-locator' -l 'legacy-locator' -d 'A course server (plain-text protocol) to use instead of a p2pchat locator; several are separated by commas.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" data-dir' -l 'data-dir' -d 'Where users\' identities, messages and history live (default: $XDG_DATA_HOME/p2pchat).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" listen' -l 'listen' -d 'Where the peer listener binds (default: 0.0.0.0 on a free port).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" auto-accept' -l 'auto-accept' -d 'Take files from friends up to this size without asking (K, M, G: powers of 1024; 0: always ask).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" downloads' -l 'downloads' -d 'Where received files land (default: downloads in the user\'s data directory).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" json' -l 'json' -d 'Print every event as one JSON object per line.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" no-color' -l 'no-color' -d 'No ANSI colours (also when NO_COLOR is set).'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" audio-in' -l 'audio-in' -d 'Where call audio comes from: an ALSA PCM name, or file:PATH.wav to talk from a file.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" audio-out' -l 'audio-out' -d 'Where call audio goes: an ALSA PCM name, or file:PATH.wav to record what would be played.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" impair-loss' -l 'impair-loss' -d 'For testing only: drop this share (0 to 1) of the call datagrams sent.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" impair-delay' -l 'impair-delay' -d 'For testing only: send every call datagram this many milliseconds late.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" no-echo' -l 'no-echo' -d 'Do not start the echo user beside a locator started in this process.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" new-identity' -l 'new-identity' -d 'Start a new identity for a user whose identity.pem is lost (friends are warned that the key changed).'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat chat" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" listen' -l 'listen' -d 'Address and port to listen on; port 0 picks a free one.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" db' -l 'db' -d 'The SQLite file with the accounts (default: accounts.sqlite in --data-dir).' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" store' -l 'store' -d 'Keep the accounts in PostgreSQL instead of SQLite, shared by several locators: postgresql://USER@HOST:PORT/DB (what it leaves out comes from PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE; a host starting with / is a Unix socket directory). A password in the URL is refused.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" store-password-file' -l 'store-password-file' -d 'A file whose first line is the PostgreSQL password (mode 600).' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" store-key-file' -l 'store-key-file' -d 'With --store: the replicas of one service share one TLS identity, kept in the database sealed under the key on this file\'s first line (at least 32 characters, mode 600; the same file for every replica). The first replica to start writes it.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" store-pool-size' -l 'store-pool-size' -d 'PostgreSQL connections at most in the pool (logins, presence, heartbeat). Each locator holds one more that listens for presence changes: four locators at the default of 20 take 84 of PostgreSQL\'s default max_connections of 100 (3 of which are kept for superusers). A pool the server cannot hold is refused at start.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" data-dir' -l 'data-dir' -d 'Directory for the locator\'s TLS identity and default database (default: $XDG_DATA_HOME/p2pchat/locator).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" legacy-password' -l 'legacy-password' -d 'The shared password of the course protocol.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" roster' -l 'roster' -d 'A file with one allowed id a line; other course-protocol ids get \'Incorrect No.\'.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" registration' -l 'registration' -d 'open: the first login of a new name registers it; closed: only names on the roster may register.' -rfka 'open closed'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" idle-timeout' -l 'idle-timeout' -d 'Close connections that make no well-formed request for this many seconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" request-timeout' -l 'request-timeout' -d 'Close connections whose first byte, TLS handshake, or request started and not finished, takes longer than this many seconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" max-connections' -l 'max-connections' -d 'Connections open at once, in all (default: 90% of the open-file limit, which is raised to its hard limit at start, and at least 64 below it). At the cap the connection idle longest is closed to make room.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" max-connections-per-address' -l 'max-connections-per-address' -d 'Connections open at once from one IP address. At the cap that address\'s connection idle longest is closed to make room.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" legacy-ttl' -l 'legacy-ttl' -d 'A course-protocol login goes offline after this many seconds (default: 6 hours), or at logout<id>.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" legacy-max-online' -l 'legacy-max-online' -d 'At most this many course-protocol logins are online; beyond, the oldest goes offline.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" legacy-login-rate' -l 'legacy-login-rate' -d 'Course-protocol logins per second from one IP address (twice as many at once); more wait their turn, up to 2 s, then the connection is closed.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" registration-rate' -l 'registration-rate' -d 'New accounts per minute from one IP address (as many at once); more are refused with \'ERR busy\'.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" registration-rate-total' -l 'registration-rate-total' -d 'New accounts per minute in all (as many at once); more are refused with \'ERR busy\'.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" hash-workers' -l 'hash-workers' -d 'Passwords hashed at once (default: one per core); more wait their turn, logins before registrations, addresses in turn.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" hash-queue-per-address' -l 'hash-queue-per-address' -d 'New accounts\' passwords from one IP address that may wait for a hashing worker; more are refused with \'ERR busy\'. (Logins of existing accounts wait in turns by address, without a cap per address, so that a reconnect storm from behind one NAT gets in.)' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" login-failures' -l 'login-failures' -d 'Wrong passwords for one account from one IP address before each further one bars that pair for 1 s, 2 s, 4 s ….' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" login-failures-per-address' -l 'login-failures-per-address' -d 'Wrong passwords from one IP address, over all accounts, before penalties start for the address.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" login-penalty-max' -l 'login-penalty-max' -d 'The longest penalty after wrong passwords, in seconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" turn' -l 'turn' -d 'Offer logged-in users this TURN relay (coturn with use-auth-secret) and short-lived credentials for it; needs --turn-secret-file.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" turn-secret-file' -l 'turn-secret-file' -d 'The file whose first line is the static-auth-secret shared with the TURN relay.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat locator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" locator' -l 'locator' -d 'The locator to log in at; several replicas of one service are separated by commas (a:8000,b:8000).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" id' -l 'id' -d 'The echo user\'s id.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" data-dir' -l 'data-dir' -d 'Where the echo user\'s identity and messages live (default: $XDG_DATA_HOME/p2pchat/echo-peer).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" listen' -l 'listen' -d 'Where the peer listener binds (default: 0.0.0.0 on a free port).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat echo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" data-dir' -l 'data-dir' -d 'Where users\' data live (default: $XDG_DATA_HOME/p2pchat).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" user' -l 'user' -d 'The user whose shell to use: needed when several are logged in here, or none is.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" password-file' -l 'password-file' -d 'With no shell running: log in with the password on this file\'s first line (or P2PCHAT_PASSWORD), do the one thing, and log out.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" locator' -l 'locator' -d 'With no shell running: the locator to log in at (default: 127.0.0.1:8000); several replicas of one service are separated by commas.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat file" -eq 1' -F
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" data-dir' -l 'data-dir' -d 'Where users\' data live (default: $XDG_DATA_HOME/p2pchat).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" user' -l 'user' -d 'The user whose shell to use: needed when several are logged in here, or none is.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" password-file' -l 'password-file' -d 'With no shell running: log in with the password on this file\'s first line (or P2PCHAT_PASSWORD), do the one thing, and log out.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" locator' -l 'locator' -d 'With no shell running: the locator to log in at (default: 127.0.0.1:8000); several replicas of one service are separated by commas.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat file" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" data-dir' -l 'data-dir' -d 'Where users\' data live (default: $XDG_DATA_HOME/p2pchat).' -rfa '(__p2pchat_complete_directories)'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" user' -l 'user' -d 'The user whose shell to use: needed when several are logged in here, or none is.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" password-file' -l 'password-file' -d 'With no shell running: log in with the password on this file\'s first line (or P2PCHAT_PASSWORD), do the one thing, and log out.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" locator' -l 'locator' -d 'With no shell running: the locator to log in at (default: 127.0.0.1:8000); several replicas of one service are separated by commas.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'locator' -d 'Load a locator with queries over concurrent connections, or hold idle sessions and weigh them.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'attacks' -d 'Attack a locator of its own on loopback and print what it and its honest clients see.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'messages' -d 'Send messages between two engines on loopback and time them.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'files' -d 'Send a big file between two clients on loopback and compare with raw TCP and scp.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'call' -d 'Run a voice call on loopback and measure latency, bitrate and CPU time.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'groups' -d 'Send group messages from one member to groups of growing size on loopback and time them.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'paths' -d 'Measure the paths through NAT in network namespaces: first message, file, call, memory (root).'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_positional "p2pchat bench" -eq 1' -fa 'echo-cancel' -d 'Measure the call\'s echo cancellation: how much echo it takes out, what it keeps, and its CPU time.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" target' -l 'target' -d 'A running locator to measure (loopback or a test host only).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" connections' -l 'connections' -d 'Concurrent connections.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" duration' -l 'duration' -d 'How long to measure, in seconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" modern' -l 'modern' -d 'Use the modern protocol: persistent TLS sessions sending QUERY.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" sessions' -l 'sessions' -d 'Hold this many idle sessions and print the locator\'s memory per session.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" rounds' -l 'rounds' -d 'With --sessions: open and close the sessions this many times (default 1); with --replicas: interleaved rounds of course queries (default 3).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" replicas' -l 'replicas' -d 'Compare replicas over a PostgreSQL of the benchmark\'s own with the SQLite store and the C server.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" refserver' -l 'refserver' -d 'With --replicas: a built refserver (the C epoll server) to measure beside the locators.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" storm' -l 'storm' -d 'With --replicas: clients in the reconnect storm.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" logins' -l 'logins' -d 'With --replicas: users registered and logged in again to time logins.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" presence-samples' -l 'presence-samples' -d 'With --replicas: logins timed from one replica to a watcher of the other.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" failover' -l 'failover' -d 'Kill -9 the replica that clients are at, again and again, and time until every client is logged in at the other.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" failover-store' -l 'failover-store' -d 'With --failover: an empty PostgreSQL database for the two replicas to share (postgresql://USER@HOST:PORT/DB); each run makes a new service identity, so a new database each run.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" failover-store-password-file' -l 'failover-store-password-file' -d 'With --failover: a file whose first line is the PostgreSQL password.' -rF
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" failover-clients' -l 'failover-clients' -d 'With --failover: locator clients given both replicas.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" failover-kills' -l 'failover-kills' -d 'With --failover: how many times a replica is killed.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench locator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench attacks" duration' -l 'duration' -d 'How long each attack lasts, in seconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench attacks" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench attacks" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench attacks" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench messages" count' -l 'count' -d 'Messages to send for each concurrency.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench messages"' -l 'concurrency' -d 'Sends in flight at once; repeat for several runs.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench messages" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench messages" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench messages" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" size' -l 'size' -d 'The size of the file (K, M, G: powers of 1024).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" runs' -l 'runs' -d 'Interleaved runs of each way of copying.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" ssh-port' -l 'ssh-port' -d 'The port of the sshd on 127.0.0.1 that scp copies to.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" ssh-identity' -l 'ssh-identity' -d 'The private key scp logs in with (default: ssh\'s own choice).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench files" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" duration' -l 'duration' -d 'Length of the click-train call, in seconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" loss' -l 'loss' -d 'Share of datagrams each side drops on purpose, 0...0.5 (testing hook).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" seed' -l 'seed' -d 'Seed of the datagrams --loss drops; the same seed loses the same frames.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" input' -l 'input' -d 'A speech WAV file for the caller to play.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'wav\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" output' -l 'output' -d 'Where the callee\'s playout goes (with --input).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'wav\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" bitrate' -l 'bitrate' -d 'Opus bitrate in kbit/s.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" expected-loss' -l 'expected-loss' -d 'The loss Opus plans its in-band FEC for, in percent.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" opus-only' -l 'opus-only' -d 'With --input and --output: encode and decode with Opus alone, no call.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench call" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench groups"' -l 'members' -d 'Group sizes to measure, members counting the sender.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench groups" count' -l 'count' -d 'Messages to send to each group.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench groups" concurrency' -l 'concurrency' -d 'Messages in flight at once.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench groups" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench groups" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench groups" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" tries' -l 'tries' -d 'Timed logins for each path.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" size' -l 'size' -d 'The size of the file sent relayed and direct (K, M, G: powers of 1024).' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" call-seconds' -l 'call-seconds' -d 'Seconds of each call; its round trip is read once a second.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" relayed-connections' -l 'relayed-connections' -d 'Relayed connections held by one client to weigh them.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench paths" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench echo-cancel" far' -l 'far' -d 'The far end\'s speech: a WAV file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'wav\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench echo-cancel" near' -l 'near' -d 'The near end\'s speech: a WAV file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'wav\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench echo-cancel" delay' -l 'delay' -d 'Speaker-to-microphone delay, in milliseconds.' -rfka ''
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench echo-cancel" log-level' -l 'log-level' -d 'How much to log (the interactive shell logs to DATA/p2pchat.log, everything else to stderr).' -rfka 'trace debug info notice warning error critical'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench echo-cancel" version' -l 'version' -d 'Show the version.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat bench echo-cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'p2pchat' -n '__p2pchat_should_offer_completions_for_flags_or_options "p2pchat help" version' -l 'version' -d 'Show the version.'
