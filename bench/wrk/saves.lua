-- Automatic saves from many learners, as a launch hour would send them.
--
-- Run with as many threads as connections: each thread then has one connection,
-- so its requests and replies alternate and it knows which learner a reply is
-- for. Thread i owns every learner whose index is i modulo $BENCH_THREADS and
-- cycles through them; each save is a different 1-3 KB text, based on the
-- revision the last reply for that learner gave. Every text starts with
-- "[bench <learner> <revision>]" so bench/db.py can check the stored text.
--
-- $BENCH_LEARNERS: lines "index prompt_id sessionid csrftoken" (bench/db.py learners)
-- $BENCH_SAVE_MODE: "api" (POST /api/reflections/<id>/, JSON) or "form" (the plain form post)
-- $BENCH_RESULT: where done() writes the figures and each learner's confirmed saves, as JSON

local mode = os.getenv("BENCH_SAVE_MODE") or "api"
local thread_count = tonumber(os.getenv("BENCH_THREADS"))
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local WORDS = {
  "the", "client", "asked", "for", "a", "discount", "before", "we", "had", "talked", "about", "value",
  "I", "answered", "too", "quickly", "and", "named", "number", "first", "next", "time", "would", "ask",
  "what", "budget", "is", "meant", "to", "achieve", "their", "interest", "was", "renewal", "in", "June",
  "nervous", "finance", "team", "wanted", "certainty", "not", "lower", "price", "listened", "longer",
  "offered", "range", "with", "reasons", "each", "end", "they", "moved", "towards", "middle", "trust",
}

local function paragraphs(length)
  local parts, size = {}, 0
  while size < length do
    local sentence = {}
    for _ = 1, math.random(8, 18) do
      table.insert(sentence, WORDS[math.random(#WORDS)])
    end
    local text = table.concat(sentence, " ")
    text = text:sub(1, 1):upper() .. text:sub(2) .. (math.random(5) == 1 and ".\n\n" or ". ")
    table.insert(parts, text)
    size = size + #text
  end
  return table.concat(parts)
end

local function form_escape(text)
  return (text:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", c:byte()) end):gsub(" ", "+"))
end

-- wrk's thread:get() copies only plain values reliably, so each thread keeps its
-- counts in globals: status_<code> = replies with that status, and
-- learner_<index> = "<confirmed saves> <last confirmed revision>".
local texts, learners, pending, cursor = {}, {}, nil, 0
local STATUSES = { 200, 302, 400, 401, 403, 404, 409, 500, 502 }

function init(args)
  math.randomseed(id + 1)
  for i = 1, 32 do
    local text = paragraphs(math.random(1000, 2900))
    texts[i] = { json = text:gsub("\n", "\\n"), form = form_escape(text) }
  end
  for line in io.lines(os.getenv("BENCH_LEARNERS")) do
    local index, prompt, session, csrf = line:match("(%d+) (%d+) (%S+) (%S+)")
    if tonumber(index) % thread_count == id then
      table.insert(learners, {
        index = tonumber(index), prompt = prompt, csrf = csrf, revision = 0, confirmed = 0, last = 0,
        cookie = "sessionid=" .. session .. "; csrftoken=" .. csrf,
      })
    end
  end
end

local function api_request(learner, revision, text)
  local body = string.format('{"text": "[bench %d %d] %s", "base_revision": %d, "save_id": "%d-%d"}',
    learner.index, revision, text.json, learner.revision, learner.index, revision)
  local headers = { Cookie = learner.cookie, ["X-CSRFToken"] = learner.csrf, ["Content-Type"] = "application/json" }
  return wrk.format("POST", "/api/reflections/" .. learner.prompt .. "/", headers, body)
end

local function form_request(learner, revision, text)
  local body = string.format("csrfmiddlewaretoken=%s&base_revision=%d&text=%%5Bbench+%d+%d%%5D+%s",
    learner.csrf, learner.revision, learner.index, revision, text.form)
  local headers = { Cookie = learner.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }
  return wrk.format("POST", "/reflections/" .. learner.prompt .. "/", headers, body)
end

function request()
  cursor = cursor % #learners + 1
  pending = learners[cursor]
  local revision = pending.revision + 1
  local text = texts[(pending.index + revision) % #texts + 1]
  return (mode == "api" and api_request or form_request)(pending, revision, text)
end

local function confirmed_revision(learner, status, headers, body)
  if mode == "api" and status == 200 then
    return tonumber(body:match('"revision"%s*:%s*(%d+)'))
  elseif mode == "form" and status == 302 and not (headers["Location"] or ""):find("login") then
    return learner.revision + 1
  end
end

local function current_revision(status, body)
  if status ~= 409 then return nil end
  if mode == "api" then return tonumber(body:match('"revision"%s*:%s*(%d+)')) end
  return tonumber(body:match('name="base_revision" value="(%d+)"'))
end

function response(status, headers, body)
  local learner = pending
  pending = nil
  _G["status_" .. status] = (_G["status_" .. status] or 0) + 1
  if not learner then return end
  local revision = confirmed_revision(learner, status, headers, body)
  if revision then
    learner.revision, learner.last, learner.confirmed = revision, revision, learner.confirmed + 1
    _G["learner_" .. learner.index] = learner.confirmed .. " " .. revision
  else
    learner.revision = current_revision(status, body) or learner.revision
  end
end

local function thread_sum(name)
  local sum = 0
  for _, thread in ipairs(threads) do
    sum = sum + (tonumber(thread:get(name)) or 0)
  end
  return sum
end

local function confirmed_json()
  local items = {}
  for line in io.lines(os.getenv("BENCH_LEARNERS")) do
    local index = tonumber(line:match("^(%d+)"))
    local thread = threads[index % thread_count + 1]
    local confirmed, last = (thread:get("learner_" .. index) or "0 0"):match("(%d+) (%d+)")
    table.insert(items, string.format('"%d": [%s, %s]', index, confirmed, last))
  end
  return "{" .. table.concat(items, ", ") .. "}"
end

local function statuses_json()
  local items = {}
  for _, status in ipairs(STATUSES) do
    table.insert(items, string.format('"%d": %d', status, thread_sum("status_" .. status)))
  end
  return "{" .. table.concat(items, ", ") .. "}"
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "statuses": %s, "learners": %s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, statuses_json(), confirmed_json()))
  out:close()
end
