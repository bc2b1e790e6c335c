-- wrk: seed 004's create-order example (order.json), POSTed on every request.
local file = io.open(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "order.json", "r")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
