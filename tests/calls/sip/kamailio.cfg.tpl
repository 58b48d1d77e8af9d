#!KAMAILIO
#
# Kamailio as the company PBX's front door for Omniline's console softphone: registrar and proxy,
# SIP over WebSocket (ws:// and wss://) for browsers, SIP over UDP for trunks and desk phones.
# Signalling only: media goes straight between the endpoints (see docs/channels/calls-pbx.md for
# rtpengine when browsers must talk to plain-RTP phones or trunks).
#
# The SIP tests render this template (tests/calls/sip/kamailio.ts fills the {{…}} values and adds
# -A WITH_AUTH / -A WITH_TLS when a test wants them). docs/channels/calls-pbx.md carries the same
# file with example values; a unit test keeps the two identical below the "Site values" block.

####### Site values #########
#!substdef "!MY_IP!{{IP}}!g"
#!substdef "!MY_DOMAIN!{{DOMAIN}}!g"
#!substdef "!MY_UDP_PORT!{{UDP_PORT}}!g"
#!substdef "!MY_WS_PORT!{{WS_PORT}}!g"
#!substdef "!MY_WSS_PORT!{{WSS_PORT}}!g"
#!substdef "!MY_TLS_CERT!{{TLS_CERT}}!g"
#!substdef "!MY_TLS_KEY!{{TLS_KEY}}!g"
#!substdef "!MY_DBURL!{{DBURL}}!g"
#!substdef "!TRUNK_IP!{{TRUNK_IP}}!g"
#!substdef "!TRUNK_URI!{{TRUNK_URI}}!g"
#!substdef "!MY_DEBUG!{{DEBUG}}!g"
####### End of site values #########

####### Global parameters #########

debug=MY_DEBUG

fork=yes
children=2
tcp_children=2
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=off

listen=udp:MY_IP:MY_UDP_PORT
listen=tcp:MY_IP:MY_WS_PORT
#!ifdef WITH_TLS
enable_tls=yes
listen=tls:MY_IP:MY_WSS_PORT
#!endif
alias="MY_DOMAIN"

# WebSocket upgrade requests carry no Content-Length; keep WebSocket connections for an hour.
tcp_accept_no_cl=yes
tcp_connection_lifetime=3604
tcp_rd_buf_size=16384

####### Modules ########

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "nathelper.so"
#!ifdef WITH_TLS
loadmodule "tls.so"
#!endif
#!ifdef WITH_AUTH
loadmodule "db_text.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
#!endif

# ----- tm -----
modparam("tm", "failure_reply_mode", 3)
modparam("tm", "fr_timer", 10000)
modparam("tm", "fr_inv_timer", 60000)

# ----- rr: two Record-Route headers when a request changes transport (WS <-> UDP) -----
modparam("rr", "enable_full_lr", 1)
modparam("rr", "enable_double_rr", 1)
modparam("rr", "append_fromtag", 0)

# ----- registrar / usrloc: locations in memory -----
modparam("registrar", "method_filtering", 1)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "gruu_enabled", 0)
modparam("usrloc", "db_mode", 0)

# ----- nathelper: only for WebSocket connections (they have their own keep-alives) -----
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")

# ----- websocket -----
modparam("websocket", "keepalive_mechanism", 1)
modparam("websocket", "keepalive_interval", 20)

#!ifdef WITH_TLS
# ----- tls: the certificate browsers see on wss:// (a public CA's, e.g. Let's Encrypt) -----
modparam("tls", "certificate", "MY_TLS_CERT")
modparam("tls", "private_key", "MY_TLS_KEY")
modparam("tls", "tls_method", "TLSv1.2+")
modparam("tls", "verify_certificate", 0)
modparam("tls", "require_certificate", 0)
#!endif

#!ifdef WITH_AUTH
# ----- auth: digest, passwords in the subscriber table (username, domain, password); db_text
# re-reads the table when its file changes (db_mode 1) -----
modparam("auth", "nonce_count", 1)
modparam("auth", "qop", "auth")
modparam("db_text", "db_mode", 1)
modparam("auth_db", "db_url", "MY_DBURL")
modparam("auth_db", "calculate_ha1", yes)
modparam("auth_db", "password_column", "password")
modparam("auth_db", "use_domain", 0)
modparam("auth_db", "version_table", 0)
#!endif

####### Routing ########

request_route {
	route(REQINIT);

	if (nat_uac_test(64)) {
		# From a WebSocket: its Contact (…@random.invalid;transport=ws) cannot be reached as such.
		force_rport();
		if (is_method("REGISTER")) {
			fix_nated_register();
		} else if (!add_contact_alias()) {
			xlog("L_ERR", "cannot alias contact <$ct>\n");
			sl_send_reply("400", "Bad Request");
			exit;
		}
	}

	route(WITHINDLG);

	if (is_method("CANCEL")) {
		if (t_check_trans()) {
			t_relay();
		}
		exit;
	}

	t_check_trans();

	route(AUTH);

	remove_hf("Route");
	if (is_method("INVITE|SUBSCRIBE|REFER")) {
		record_route();
	}

	route(REGISTRAR);

	if ($rU == $null) {
		sl_send_reply("484", "Address Incomplete");
		exit;
	}

	route(LOCATION);
	route(RELAY);
}

route[RELAY] {
	if (!t_relay()) {
		sl_reply_error();
	}
	exit;
}

route[REQINIT] {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("1511", "7")) {
		xlog("L_WARN", "malformed SIP message from $si:$sp\n");
		exit;
	}
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {
		options_reply();
		exit;
	}
}

route[WITHINDLG] {
	if (!has_totag()) return;

	if (loose_route()) {
		if ($du == "") {
			# Next hop is a WebSocket client: its R-URI carries the alias added above.
			if (!handle_ruri_alias()) {
				xlog("L_ERR", "bad alias <$ru>\n");
				sl_send_reply("400", "Bad Request");
				exit;
			}
		}
		route(RELAY);
	}
	if (is_method("ACK")) {
		if (t_check_trans()) {
			t_relay();
		}
		exit;
	}
	sl_send_reply("404", "Not Found");
	exit;
}

route[AUTH] {
#!ifdef WITH_AUTH
	# The trunk (carrier or PBX the numbers live on) is trusted by its address, over UDP only.
	if ($si == "TRUNK_IP" && proto == UDP && !is_method("REGISTER")) return;

	if (is_method("REGISTER")) {
		if (!auth_check("$fd", "subscriber", "1")) {
			auth_challenge("$fd", "1");
			exit;
		}
		return;
	}
	if (is_method("INVITE|REFER|SUBSCRIBE|MESSAGE|OPTIONS")) {
		if (!auth_check("$fd", "subscriber", "1")) {
			auth_challenge("$fd", "1");
			exit;
		}
		consume_credentials();
	}
#!endif
	return;
}

route[REGISTRAR] {
	if (!is_method("REGISTER")) return;
	if (!save("location")) {
		sl_reply_error();
	}
	exit;
}

route[LOCATION] {
	if (lookup("location")) return;
	$var(rc) = $rc;

	# Not a registered phone: a number for the outside world, sent to the trunk.
	if (is_method("INVITE") && "TRUNK_URI" != "") {
		$du = "TRUNK_URI";
		return;
	}
	t_newtran();
	switch ($var(rc)) {
		case -2:
			send_reply("405", "Method Not Allowed");
			exit;
		case -3:
			send_reply("500", "Server Internal Error");
			exit;
		default:
			send_reply("480", "Temporarily Unavailable");
			exit;
	}
}

onreply_route {
	if (nat_uac_test(64)) {
		add_contact_alias();
	}
}

event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();

	if ($Rp != MY_WS_PORT
#!ifdef WITH_TLS
			&& $Rp != MY_WSS_PORT
#!endif
	) {
		xhttp_reply("403", "Forbidden", "", "");
		exit;
	}
	# Optionally: only the console's origin may open a socket, e.g.
	# if ($hdr(Origin) != "https://omniline.example.com") { xhttp_reply("403", "Forbidden", "", ""); exit; }
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) {
			exit;
		}
	}
	xhttp_reply("404", "Not Found", "", "");
}

event_route[websocket:closed] {
	xlog("L_INFO", "WebSocket connection from $si:$sp closed\n");
}
