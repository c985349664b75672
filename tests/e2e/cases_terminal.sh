# cases_terminal.sh: the program and a terminal that goes away (a closed SSH
# session, input from /dev/null): it ends instead of spinning, at the login
# screen and once logged in (sourced by run.sh).

# The wq process of the pane, if it still runs after a while: it would be spinning.
terminal_no_spin() {
	local pid
	pid=$(pgrep -f -- "--config $tmp/wq.yaml" | head -n 1)
	[ -z "$pid" ] && return 0
	echo "wq is still running (pid $pid), using $(ps -o %cpu= -p "$pid") % CPU"
	kill "$pid" 2>/dev/null
	return 1
}

case_terminal_eof_at_login() {
	new_term sh -c "exec '$wq' --config '$tmp/wq.yaml' </dev/null"
	expect_exit || return 1
	terminal_no_spin
}

case_terminal_eof_when_logged_in() {
	# the keys of the login, then the input ends a while after the main screen opened
	new_term sh -c "(printf 'zhang\\tpw-zhang\\r'; sleep 3) | '$wq' --config '$tmp/wq.yaml'"
	expect "首页" || return 1
	sleep 4
	expect_exit || return 1
	terminal_no_spin
}
