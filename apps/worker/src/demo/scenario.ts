// The scripted demo: every flow the worker runs, driven through the simulators as a person or a phone
// would (GHL UI edits, replies from handsets), with the evidence read back from the simulators.
import { applyMerge, proposeMerges, undoMerge } from "@ghl-bulksms/engine";
import { runCampaignStep } from "./campaign-step.js";
import type { DemoStack } from "./stack.js";
import { DEMO_HELP, DEMO_QUOTE_TAG } from "./stack.js";

export interface Expectation {
  readonly step: string;
  readonly expectation: string;
  readonly observed: string;
  readonly ok: boolean;
}

export type DemoLog = (line: string) => void;

const PEOPLE = {
  ada: { firstName: "Ada", phone: "07400 100001", e164: "+447400100001" },
  ben: { firstName: "Ben", phone: "07400 100002", e164: "+447400100002" },
  cleo: { firstName: "Cleo", phone: "07400 100003", e164: "+447400100003" },
  dan: { firstName: "Dan", phone: "07400 100004", e164: "+447400100004" },
} as const;

const OPT_OUT_TAG = "sms-opted-out";
const MINUTE = 60_000;
const HOUR = 3_600_000;

export async function runScenario(stack: DemoStack, log: DemoLog): Promise<Expectation[]> {
  const results: Expectation[] = [];
  const { sandbox } = stack;
  const ghl = sandbox.ghl.control;
  const sms = sandbox.bulksms.control;
  let stepName = "";
  const step = (name: string, what: string) => {
    stepName = name;
    log(`\n▶ ${name}: ${what}`);
  };
  const expect = (expectation: string, observed: string, ok: boolean) => {
    results.push({ step: stepName, expectation, observed, ok });
    log(`  ${ok ? "✔" : "✘"} ${expectation} — ${observed}`);
  };
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const quote = (s: string) => JSON.stringify(s.length > 70 ? `${s.slice(0, 67)}...` : s);

  // 0. Existing contacts: seeded silently, as if they were in GHL before the worker was installed.
  step("seed", "contacts that already existed in GHL (no webhooks) are left alone");
  await stack.settle();
  const existing = ghl.listContacts(stack.locationId).length;
  expect(
    "existing contacts are not texted",
    `${count(existing, "seeded contact")}, ${count(sms.sentMessages().length, "text")} sent`,
    sms.sentMessages().length === 0,
  );

  // 1. Welcome SMS for new contacts. Cleo's handset will refuse it (HANDSET_ERROR).
  step("welcome", "four people are added in GHL (ContactCreate webhooks)");
  sms.setNumberOutcome(PEOPLE.cleo.e164, "HANDSET_ERROR");
  const ids: Record<keyof typeof PEOPLE, string> = { ada: "", ben: "", cleo: "", dan: "" };
  for (const key of Object.keys(PEOPLE) as Array<keyof typeof PEOPLE>) {
    const p = PEOPLE[key];
    ids[key] = ghl.createContact(stack.locationId, { firstName: p.firstName, phone: p.phone }).id;
    log(`  GHL: contact ${p.firstName} created (${p.phone})`);
  }
  await stack.settle();
  for (const key of Object.keys(PEOPLE) as Array<keyof typeof PEOPLE>) {
    const p = PEOPLE[key];
    const sent = stack.sentTo(p.e164);
    const welcome = sent.filter((m) => m.body.startsWith(`Hi ${p.firstName}, welcome`));
    expect(
      `${p.firstName} gets exactly one welcome SMS`,
      `BulkSMS sent ${count(sent.length, "text")}: ${sent.map((m) => quote(m.body)).join(", ") || "none"}`,
      sent.length === 1 && welcome.length === 1,
    );
  }

  // 2. Delivery reports come back through the BulkSMS webhook and become notes.
  step("delivery", "10 s later the handsets report back (BulkSMS status webhooks)");
  await stack.advance(10_000);
  const welcomeOutcomes = (Object.keys(PEOPLE) as Array<keyof typeof PEOPLE>).map(
    (key) =>
      `${PEOPLE[key].firstName} ${
        stack
          .outcomes(PEOPLE[key].e164)
          .map((o) => o.status)
          .join(",") || "none"
      }`,
  );
  expect(
    "BulkSMS: the welcomes reached Ada, Ben and Dan; Cleo's handset refused hers",
    welcomeOutcomes.join("; "),
    welcomeOutcomes.join(";") === "Ada DELIVERED;Ben DELIVERED;Cleo FAILED.HANDSET_ERROR;Dan DELIVERED",
  );
  const adaNotes = (await stack.notes(ids.ada)).filter((n) => n.body.startsWith("SMS (welcome) delivered."));
  expect(
    "Ada's contact gets one 'delivered' note",
    `GHL notes: ${adaNotes.map((n) => quote(n.body.split("\n")[0] ?? "")).join(", ") || "none"}`,
    adaNotes.length === 1,
  );

  // 3. A failed text becomes a task on the contact.
  step("failure", "Cleo's handset could not receive the welcome (FAILED.HANDSET_ERROR)");
  const cleoTasks = await stack.tasks(ids.cleo);
  expect(
    "Cleo's contact gets one open task with the reason",
    `GHL tasks: ${cleoTasks.map((t) => `${quote(t.title)}${t.completed ? " (completed)" : " (open)"}`).join(", ") || "none"}`,
    cleoTasks.length === 1 && /^SMS failed/.test(cleoTasks[0]?.title ?? "") && !cleoTasks[0]?.completed,
  );

  // 4. A reply becomes a note.
  step("reply", "Ada replies from her phone");
  const replyText = "Thanks! What time do you open on Saturday?";
  sms.simulateReply({ from: PEOPLE.ada.e164, body: replyText });
  log(`  BulkSMS: reply from Ada ${quote(replyText)}`);
  await stack.settle();
  const replyNotes = (await stack.notes(ids.ada)).filter((n) => n.body.includes(replyText));
  expect(
    "the reply is written as one note on Ada's contact",
    `GHL notes with the reply: ${replyNotes.length} (${quote(replyNotes[0]?.body.split("\n")[0] ?? "")})`,
    replyNotes.length === 1,
  );

  // 4b. BulkSMS as GHL's SMS provider (GHL_PROVIDER_MODE=default): a person answers Ada in GHL's
  // conversation; BulkSMS sends it once, its status shows in GHL, and her reply lands in the same thread.
  step("provider", "a user writes to Ada in GHL's conversation (BulkSMS is the sub-account's SMS provider)");
  const answer = "Hi Ada, we open at 9 on Saturday. See you then!";
  const adaSentBefore = stack.sentTo(PEOPLE.ada.e164).length;
  const typed = ghl.sendProviderMessage(ids.ada, answer);
  log(`  GHL: a user sends ${quote(answer)} to Ada (ProviderOutboundMessage to the worker)`);
  await stack.settle();
  const providerSent = stack.sentTo(PEOPLE.ada.e164).slice(adaSentBefore);
  expect(
    "BulkSMS sends it to Ada exactly once",
    `BulkSMS sent ${count(providerSent.length, "text")}: ${providerSent.map((m) => quote(m.body)).join(", ") || "none"}`,
    providerSent.length === 1 && providerSent[0]?.body === answer,
  );
  await stack.advance(10_000);
  const reported = ghl
    .statusUpdates()
    .filter((u) => u.messageId === typed.id)
    .map((u) => u.status);
  const shown = ghl.outboundMessages().find((m) => m.id === typed.id)?.status ?? "none";
  expect(
    '"delivered" shows on the message in GHL',
    `status updates: ${reported.join(" -> ") || "none"}; the message shows ${JSON.stringify(shown)}`,
    shown === "delivered" &&
      reported.at(-1) === "delivered" &&
      !reported.slice(reported.indexOf("delivered")).includes("pending"),
  );

  // ... and with thread mode on for the location (GHL_SMS_THREAD=on, here through the location's stored
  // engine settings), Ada's reply appears in the same GHL conversation, and a text from a number nobody has
  // becomes a contact with the text in its conversation.
  log("  thread mode on: Ada answers, and a stranger texts the business number");
  const store = stack.store();
  const loc = stack.locationId;
  const locRow = await store.locations.get(loc);
  const saved = (locRow?.settings ?? {}) as Record<string, unknown>;
  const savedEngine = (saved.engine ?? {}) as Record<string, unknown>;
  await store.locations.upsert({
    id: loc,
    settings: { ...saved, engine: { ...savedEngine, conversations: { thread: true } } },
  });
  const adaThreadReply = "Saturday at 10 works for me, see you then!";
  sms.simulateReply({ from: PEOPLE.ada.e164, body: adaThreadReply });
  log(`  BulkSMS: reply from Ada ${quote(adaThreadReply)}`);
  const stranger = { e164: "+447400100099", text: "Hi, do you sell gift cards?" };
  sms.simulateReply({ from: stranger.e164, body: stranger.text });
  log(`  BulkSMS: a text from ${stranger.e164}, a number no contact has: ${quote(stranger.text)}`);
  await stack.settle();
  const adaConversation = ghl.thread(ids.ada);
  const adaThread = adaConversation.filter((m) => m.direction === "inbound" && m.body === adaThreadReply);
  const typedInThread = adaConversation.find((m) => m.id === typed.id);
  expect(
    "Ada's reply appears once in the same GHL conversation as the user's message (type SMS, inbound)",
    `GHL conversation of Ada: the user's message ${typedInThread ? "is there" : "is not there"}; her reply: ${adaThread.map((m) => `${m.type} ${m.direction} ${quote(m.body)}`).join(", ") || "not there"}`,
    adaThread.length === 1 &&
      adaThread[0]?.type === "SMS" &&
      typedInThread !== undefined &&
      adaThread[0]?.conversationId === typedInThread.conversationId,
  );
  const strangers = ghl
    .listContacts(loc)
    .filter((c) => (c.phone ?? "").replace(/\D/g, "") === stranger.e164.replace(/\D/g, ""));
  const strangerThread = strangers[0] ? ghl.thread(strangers[0].id) : [];
  expect(
    "the stranger becomes one GHL contact (source SMS, tagged) with the text in its conversation",
    `${count(strangers.length, "contact")} with ${stranger.e164}${strangers[0] ? ` (source ${strangers[0].source ?? "-"}, tags ${JSON.stringify(strangers[0].tags)})` : ""}; its conversation: ${strangerThread.map((m) => quote(m.body)).join(", ") || "empty"}`,
    strangers.length === 1 &&
      strangers[0]?.source === "SMS" &&
      strangers[0]?.tags.includes("sms-inbound-unknown") === true &&
      strangerThread.length === 1 &&
      strangerThread[0]?.body === stranger.text,
  );
  expect(
    "nobody texts the stranger back on their own (no welcome: they wrote first)",
    `texts to ${stranger.e164}: ${stack.sentTo(stranger.e164).length}`,
    stack.sentTo(stranger.e164).length === 0,
  );
  await store.locations.upsert({ id: loc, settings: saved });

  // 5. HELP answers with the configured help text.
  step("help", "Dan texts HELP");
  sms.simulateReply({ from: PEOPLE.dan.e164, body: "HELP" });
  await stack.settle();
  await stack.advance(10_000);
  const danHelp = stack.outcomes(PEOPLE.dan.e164).filter((m) => m.body === DEMO_HELP);
  expect(
    "Dan gets the help text once, delivered",
    `BulkSMS: ${count(danHelp.length, "help text")}, ${danHelp.map((m) => m.status).join(", ") || "none"}`,
    danHelp.length === 1 && danHelp[0]?.status === "DELIVERED",
  );

  // 6. STOP: DND + tag + note + blocked number, and nothing billed after it. BulkSMS blocks the number
  // itself on STOP: a confirmation would end FAILED.BLOCKED and still be billed, so none is sent
  // (STOP_CONFIRMATION=off, the default).
  step("stop", "Ben texts STOP (and, impatient, STOP again)");
  const benBeforeStop = stack.outcomes(PEOPLE.ben.e164).length;
  const creditsBeforeStop = sms.credits();
  sms.simulateReply({ from: PEOPLE.ben.e164, body: "STOP" });
  await stack.settle();
  sms.simulateReply({ from: PEOPLE.ben.e164, body: "stop" });
  await stack.settle();
  const benAfterStop = stack.contact(ids.ben);
  expect(
    "GHL: SMS DND is on for Ben",
    `dndSettings.SMS = ${JSON.stringify(benAfterStop.dndSettings.SMS?.status ?? null)}`,
    benAfterStop.dndSettings.SMS?.status === "active",
  );
  expect(
    `GHL: Ben is tagged ${OPT_OUT_TAG}`,
    `tags = ${JSON.stringify(benAfterStop.tags)}`,
    benAfterStop.tags.includes(OPT_OUT_TAG),
  );
  const stopNotes = (await stack.notes(ids.ben)).filter((n) => n.body.startsWith("Opted out of SMS"));
  expect(
    "GHL: one opt-out note on Ben",
    `notes: ${stopNotes.map((n) => quote(n.body)).join(", ") || "none"}`,
    stopNotes.length === 1,
  );
  expect(
    "BulkSMS: Ben's number is blocked",
    `blocked numbers: ${sms.blockedNumbers().length}, Ben ${stack.blocked(PEOPLE.ben.e164) ? "included" : "missing"}`,
    stack.blocked(PEOPLE.ben.e164),
  );
  await stack.advance(10_000);
  const afterStop = stack.outcomes(PEOPLE.ben.e164).slice(benBeforeStop);
  expect(
    "no billed confirmation: BulkSMS blocked Ben on STOP, nothing is submitted to him",
    `texts to Ben after STOP: ${afterStop.map((o) => o.status).join(", ") || "none submitted"}; credits spent: ${creditsBeforeStop - sms.credits()}`,
    afterStop.length === 0 && sms.credits() === creditsBeforeStop,
  );
  const beforeEdit = stack.sentTo(PEOPLE.ben.e164).length;
  ghl.updateContact(ids.ben, { lastName: "Opted-Out" });
  await stack.advance(10_000);
  expect(
    "no other text reaches Ben while opted out",
    `texts to Ben after his STOP: ${stack.sentTo(PEOPLE.ben.e164).length - beforeEdit}`,
    stack.sentTo(PEOPLE.ben.e164).length === beforeEdit,
  );

  // 7. START re-subscribes.
  step("start", "Ben changes his mind and texts START");
  sms.simulateReply({ from: PEOPLE.ben.e164, body: "START" });
  await stack.settle();
  const benAfterStart = stack.contact(ids.ben);
  expect(
    "GHL: SMS DND is off again and the tag is gone",
    `dndSettings.SMS = ${JSON.stringify(benAfterStart.dndSettings.SMS?.status ?? null)}, tags = ${JSON.stringify(benAfterStart.tags)}`,
    benAfterStart.dndSettings.SMS?.status !== "active" && !benAfterStart.tags.includes(OPT_OUT_TAG),
  );
  await stack.advance(10_000);
  const afterStart = stack.outcomes(PEOPLE.ben.e164).slice(benBeforeStop);
  const benTasks = (await stack.tasks(ids.ben)).filter((t) =>
    t.body.includes(`ask BulkSMS support to unblock ${PEOPLE.ben.e164}`),
  );
  expect(
    "BulkSMS still blocks Ben (no unblock API): no text is submitted, an operator task asks for the unblock",
    `texts to Ben after START: ${afterStart.map((o) => o.status).join(", ") || "none submitted"}; unblock tasks: ${benTasks.length}`,
    afterStart.length === 0 && benTasks.length === 1,
  );

  // 8. DND ticked by a person in GHL is pushed to the BulkSMS blocked numbers.
  step("ghl-dnd", "someone ticks SMS DND on Dan's contact in GHL");
  ghl.updateContact(ids.dan, { dndSettings: { SMS: { status: "active", message: "asked by phone" } } });
  await stack.settle();
  expect(
    "BulkSMS: Dan's number is blocked",
    `Dan ${stack.blocked(PEOPLE.dan.e164) ? "is" : "is not"} on the blocked list`,
    stack.blocked(PEOPLE.dan.e164),
  );

  // 9. The failed welcome is retried an hour later; delivered, the task is resolved.
  step("retry", "an hour later Cleo's phone works again; the welcome is retried");
  sms.setNumberOutcome(PEOPLE.cleo.e164, null);
  await stack.advance(3_600_000 + 20_000, 600_000);
  const cleoSent = stack.sentTo(PEOPLE.cleo.e164);
  const cleoTasksAfter = await stack.tasks(ids.cleo);
  expect(
    "the retry is sent (2 texts to Cleo in total)",
    `BulkSMS sent ${count(cleoSent.length, "text")} to Cleo`,
    cleoSent.length === 2,
  );
  expect(
    "Cleo's task is marked resolved and completed",
    `GHL tasks: ${cleoTasksAfter.map((t) => `${quote(t.title)}${t.completed ? " (completed)" : " (open)"}`).join(", ")}`,
    cleoTasksAfter.length === 1 && cleoTasksAfter[0]?.completed === true,
  );

  // 10. Quiet hours: a contact added at 22:00 London time is welcomed at 08:00, not at night, and not dropped.
  step("quiet-hours", "at 22:00 someone adds Fay; texts wait for the 08:00-21:00 window");
  const toTen = nextLocalHour(sandbox.clock.now(), 22) - sandbox.clock.now();
  await stack.advance(toTen, 3_600_000);
  log(`  clock: ${new Date(sandbox.clock.now()).toISOString()} (22:00 in London)`);
  ghl.createContact(stack.locationId, { firstName: "Fay", phone: "07400 100005" });
  await stack.settle();
  const atNight = stack.sentTo("+447400100005").length;
  await stack.advance(nextLocalHour(sandbox.clock.now(), 9) - sandbox.clock.now(), 3_600_000);
  const faySent = stack.sentTo("+447400100005");
  const sentAt = faySent[0] ? new Date(faySent[0].at) : null;
  expect(
    "nothing is sent at night; the welcome goes out once after 08:00",
    `at night: ${atNight} texts; by 09:00: ${faySent.length}${sentAt ? `, sent at ${sentAt.toISOString().slice(11, 16)} UTC` : ""}`,
    atNight === 0 && faySent.length === 1 && sentAt !== null && sentAt.getUTCHours() >= 8,
  );

  // 11. Reconciliation: GHL drops two webhooks; the next incremental run (the scheduler, 15 min later) repairs both.
  step("reconcile", "GHL drops two webhooks; the scheduled incremental reconcile repairs what they missed");
  ghl.setFaults({ webhookDropRate: 1 });
  const cleoNew = { phone: "07400 100013", e164: "+447400100013" };
  ghl.updateContact(ids.cleo, { phone: cleoNew.phone });
  log(`  GHL: Cleo's phone changed to ${cleoNew.phone} (webhook dropped)`);
  const gil = ghl.createContact(loc, { firstName: "Gil", phone: "07400 100006" });
  log("  GHL: contact Gil created (07400 100006) (webhook dropped)");
  await stack.settle();
  ghl.setFaults({ webhookDropRate: 0 });
  const cleoBefore = await store.contacts.get(loc, ids.cleo);
  const gilBefore = await store.contacts.get(loc, gil.id);
  expect(
    "the worker missed both changes (no webhook arrived)",
    `mirror: Cleo ${cleoBefore?.phoneE164 ?? "?"}, Gil ${gilBefore ? "known" : "unknown"}; texts to Gil: ${stack.sentTo("+447400100006").length}`,
    cleoBefore?.phoneE164 === PEOPLE.cleo.e164 &&
      gilBefore === null &&
      stack.sentTo("+447400100006").length === 0,
  );
  const lastRun = (await store.runs.list({ locationId: loc, limit: 1 }))[0]?.id ?? 0;
  const every = stack.lifecycle.defaults.reconcile.incrementalEveryMs;
  const nextSlot = (Math.floor(sandbox.clock.now() / every) + 1) * every;
  await stack.advance(nextSlot - sandbox.clock.now() + 1_000, every);
  log(
    `  clock: ${new Date(sandbox.clock.now()).toISOString()}; the scheduler enqueued reconcile.incremental`,
  );
  const runs = (await store.runs.list({ locationId: loc, limit: 20 })).filter(
    (r) => r.id > lastRun && r.kind === "incremental",
  );
  const run = runs[runs.length - 1];
  const c = run?.counts;
  expect(
    "one incremental run, recorded with its counts",
    run && c
      ? `run #${run.id} ${run.status}: scanned ${c.scanned}, created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, opt-outs ${c.optOutsSynced}, errors ${c.errors}`
      : "no run",
    runs.length === 1 &&
      run?.status === "succeeded" &&
      (c?.created ?? 0) >= 1 &&
      (c?.updated ?? 0) >= 1 &&
      c?.errors === 0,
  );
  const cleoAfter = await store.contacts.get(loc, ids.cleo);
  const cleoProfile = (cleoAfter?.profile ?? {}) as { phone?: string | null };
  expect(
    "Cleo's mirror and SMS profile have her new number",
    `mirror ${cleoAfter?.phoneE164 ?? "?"}, SMS profile ${cleoProfile.phone ?? "?"}`,
    cleoAfter?.phoneE164 === cleoNew.e164 && cleoProfile.phone === cleoNew.e164,
  );
  const gilSent = stack.sentTo("+447400100006");
  expect(
    "Gil, added minutes ago, gets his welcome once",
    `BulkSMS sent ${count(gilSent.length, "text")}: ${gilSent.map((m) => quote(m.body)).join(", ") || "none"}`,
    gilSent.length === 1 && gilSent[0]?.body.startsWith("Hi Gil, welcome") === true,
  );

  // 12. Duplicate merging (opt-in for this location in the policy file, mode "delete" with an undo log).
  step("merge", "Hana is in GHL twice (phone and email written differently); the operator merges them");
  // duplicates get in when "Allow Duplicate Contact" is on (or through imports)
  ghl.setLocationSettings(loc, { allowDuplicates: true });
  const hanaA = ghl.createContact(loc, {
    firstName: "Hana",
    lastName: "Kato",
    phone: "020 7946 0018",
    email: "hana.kato@example.com",
    tags: ["customer"],
  });
  const hanaB = ghl.createContact(loc, {
    firstName: "hana",
    lastName: "kato",
    phone: "+44 20 7946 0018",
    email: "Hana.Kato@Example.COM",
    tags: ["newsletter"],
  });
  ghl.addNote(hanaB.id, "Asked for a call back about the spring offer.");
  log(`  GHL: Hana Kato (${hanaA.id}) and hana kato (${hanaB.id}), the second with a note`);
  await stack.settle();
  const proposals = await proposeMerges(stack.operator.deps, loc);
  const hana = proposals.find((p) => p.cluster.ids.includes(hanaA.id));
  const cluster = hana?.cluster;
  const evidence = cluster?.evidence
    .map((e) => `${e.keys.join("+")} (score ${e.score.toFixed(2)})`)
    .join(", ");
  log(
    `  proposals: ${count(proposals.length, "cluster")}; Hana's: ${cluster ? `${cluster.ids.join(" + ")}, survivor ${cluster.survivor}, evidence ${evidence}` : "none"}`,
  );
  expect(
    "dedupe proposes Hana's two records as one cluster with evidence and a survivor",
    cluster ? `ids ${cluster.ids.length}, survivor ${cluster.survivor}, evidence ${evidence}` : "no cluster",
    cluster !== undefined &&
      cluster.ids.length === 2 &&
      cluster.ids.includes(hanaB.id) &&
      cluster.evidence.some((e) => e.keys.includes("phone") && e.keys.includes("email")),
  );
  if (!cluster) throw new Error("no duplicate cluster for Hana: the merge steps cannot run");
  const plan = await applyMerge(stack.operator.deps, loc, cluster, { confirm: false });
  log(
    `  plan: ${plan.ok ? `mode ${plan.preview.mode}, add tags ${JSON.stringify(plan.preview.survivorUpdate.addTags)}, carry ${plan.preview.carried.map((x) => `${x.notes} note(s) from ${x.from}`).join(", ")}` : plan.reason}`,
  );
  const applied = await applyMerge(stack.operator.deps, loc, cluster, { confirm: true });
  await stack.settle();
  const survivorId = cluster.survivor;
  const absorbedId = cluster.ids.find((i) => i !== survivorId) ?? "";
  const survivor = stack.contact(survivorId);
  const survivorNotes = await stack.notes(survivorId);
  const carried = survivorNotes.filter((n) => n.body.includes("spring offer"));
  expect(
    "the survivor has the union of the tags and the carried note",
    `tags ${JSON.stringify(survivor.tags)}; notes carried: ${carried.length}${carried[0] ? ` (${quote(carried[0].body.split("\n").find((l) => /carried/i.test(l)) ?? carried[0].body)})` : ""}`,
    applied.ok &&
      applied.applied &&
      ["customer", "newsletter"].every((t) => survivor.tags.includes(t)) &&
      carried.length === 1,
  );
  const undoIds = applied.ok && applied.applied ? applied.undoIds : [];
  const undoEntries = await store.mergeUndo.list({ locationId: loc });
  const undoEntry = undoEntries.find((e) => e.id === undoIds[0]);
  expect(
    "the duplicate is deleted in GHL, its full record kept in the undo log",
    `GHL ${sandbox.ghl.control.getContact(absorbedId) ? "still has" : "no longer has"} ${absorbedId}; undo log: ${undoEntries.map((e) => `#${e.id} ${e.mergedId} (${e.status})`).join(", ") || "empty"}`,
    ghl.getContact(absorbedId) === undefined &&
      undoEntry?.mergedId === absorbedId &&
      undoEntry.status === "applied",
  );
  const undone = undoIds[0] !== undefined ? await undoMerge(stack.operator.deps, undoIds[0]) : null;
  await stack.settle();
  const back = undone?.ok ? undone.recreatedId : null;
  const backContact = back ? ghl.getContact(back) : undefined;
  const backNotes = back ? (await stack.notes(back)).filter((n) => n.body.includes("spring offer")) : [];
  const survivorAfterUndo = stack.contact(survivorId);
  expect(
    "undo recreates the deleted contact with its note and restores the survivor",
    back
      ? `recreated as ${back} (${backContact?.email ?? "?"}, tags ${JSON.stringify(backContact?.tags ?? [])}, ${count(backNotes.length, "note")}); survivor tags ${JSON.stringify(survivorAfterUndo.tags)}`
      : `undo failed: ${JSON.stringify(undone)}`,
    backContact !== undefined &&
      backNotes.length === 1 &&
      JSON.stringify(survivorAfterUndo.tags) === JSON.stringify(["customer"]) &&
      (await stack.notes(survivorId)).every((n) => !n.body.includes("spring offer")),
  );
  expect(
    "nobody was texted by the merge (Hana's numbers are landlines)",
    `texts to Hana: ${stack.sentTo("+442079460018").length}`,
    stack.sentTo("+442079460018").length === 0,
  );

  // 13. Follow-up: "quote-sent" tag -> a text 2 days later, unless the contact replies first.
  step("follow-up", `Ada and Cleo are tagged ${DEMO_QUOTE_TAG}; Cleo replies the next day, Ada does not`);
  const tagged = sandbox.clock.now();
  for (const key of ["ada", "cleo"] as const) {
    ghl.updateContact(ids[key], { tags: [...stack.contact(ids[key]).tags, DEMO_QUOTE_TAG] });
    log(`  GHL: tag ${DEMO_QUOTE_TAG} added to ${PEOPLE[key].firstName} (ContactTagUpdate webhook)`);
  }
  await stack.settle();
  const adaBefore = stack.sentTo(PEOPLE.ada.e164).length;
  const cleoSentBefore = stack.sentTo(cleoNew.e164).length;
  const active = [
    ...(await store.followUps.listForContact(loc, ids.ada)),
    ...(await store.followUps.listForContact(loc, ids.cleo)),
  ].filter((f) => f.status === "active");
  expect(
    "a follow-up sequence starts for each, due in 2 days",
    active.map((f) => `#${f.id} due ${new Date(f.nextRunAt ?? 0).toISOString().slice(0, 16)}Z`).join(", ") ||
      "none",
    active.length === 2 &&
      active.every(
        (f) =>
          f.nextRunAt === tagged + 48 * HOUR || Math.abs((f.nextRunAt ?? 0) - tagged - 48 * HOUR) < MINUTE,
      ),
  );
  await stack.advance(24 * HOUR, 3 * HOUR);
  const cleoReply = "Still comparing offers, I'll let you know.";
  sms.simulateReply({ from: cleoNew.e164, body: cleoReply });
  log(`  a day later, BulkSMS: reply from Cleo's new number ${quote(cleoReply)}`);
  await stack.settle();
  const cleoReplyNotes = (await stack.notes(ids.cleo)).filter((n) => n.body.includes(cleoReply));
  expect(
    "the reply from Cleo's new number lands on her contact (thanks to the reconcile)",
    `notes with the reply on Cleo: ${cleoReplyNotes.length}`,
    cleoReplyNotes.length === 1,
  );
  await stack.advance(tagged + 48 * HOUR + 10 * MINUTE - sandbox.clock.now(), 3 * HOUR);
  log(`  clock: ${new Date(sandbox.clock.now()).toISOString()} (2 days after the tag)`);
  const adaFollow = stack.sentTo(PEOPLE.ada.e164).slice(adaBefore);
  expect(
    "Ada gets exactly one follow-up text after 2 days",
    `BulkSMS sent ${count(adaFollow.length, "text")}: ${adaFollow.map((m) => `${quote(m.body)} at ${new Date(m.at).toISOString().slice(0, 16)}Z`).join(", ") || "none"}`,
    adaFollow.length === 1 &&
      adaFollow[0]?.body.startsWith("Hi Ada, did you have a chance") === true &&
      (adaFollow[0]?.at ?? 0) >= tagged + 48 * HOUR,
  );
  const adaFollowOutcome = stack
    .outcomes(PEOPLE.ada.e164)
    .filter((o) => o.body.startsWith("Hi Ada, did you"));
  expect(
    "the follow-up reached Ada's handset (decided on a fresh GHL view: re-read, no DND)",
    `BulkSMS: ${adaFollowOutcome.map((o) => o.status).join(", ") || "none"}`,
    adaFollowOutcome.length === 1 && adaFollowOutcome[0]?.status === "DELIVERED",
  );
  const cleoFollow = stack.sentTo(cleoNew.e164).slice(cleoSentBefore);
  const cleoSeq = (await store.followUps.listForContact(loc, ids.cleo)).map(
    (f) => `${f.status}${f.stopReason ? ` (${f.stopReason})` : ""}`,
  );
  expect(
    "Cleo replied first: no follow-up, her sequence stopped",
    `texts to Cleo: ${cleoFollow.length}; sequence: ${cleoSeq.join(", ") || "none"}`,
    cleoFollow.length === 0 && cleoSeq.length === 1 && cleoSeq[0]?.startsWith("stopped") === true,
  );

  step("campaign", "a segment is previewed (exclusions, cost), sent in batches; a STOP arrives mid-campaign");
  await runCampaignStep({
    stack,
    log,
    expect,
    people: {
      ada: { id: ids.ada, e164: PEOPLE.ada.e164 },
      ben: { id: ids.ben, e164: PEOPLE.ben.e164 },
      cleo: { id: ids.cleo, e164: cleoNew.e164 },
      dan: { id: ids.dan, e164: PEOPLE.dan.e164 },
    },
  });

  // Whole-run invariants.
  step("invariants", "nothing stuck, nothing sent twice, opt-outs and START both hold");
  const dead = await store.deadLetters.list();
  expect("no dead letters", `${count(dead.length, "dead letter")}`, dead.length === 0);
  const sent = sms.sentMessages();
  // one deduplication id per logical message (a retry of a failed text is a new attempt with its own id);
  // a campaign batch carries many numbers under one id, each once
  const keys = sent.map((m) => `${m.deduplicationId}:${m.to}`);
  const twice = keys.length - new Set(keys).size;
  expect(
    "no text sent twice",
    `${count(sent.length, "text")} sent, ${twice} with a repeated deduplication id`,
    twice === 0 && !sent.some((m) => m.deduplicationId === null),
  );
  const billedBlocked = sms.messages({ type: "SENT" }).filter((m) => m.status.id === "FAILED.BLOCKED");
  expect(
    "no text billed for nothing: none ended FAILED.BLOCKED",
    `${count(billedBlocked.length, "text")} FAILED.BLOCKED (${billedBlocked.reduce((n, m) => n + (m.creditCost ?? 0), 0)} credits)`,
    billedBlocked.length === 0,
  );
  const danNow = stack.contact(ids.dan);
  expect(
    "Dan's opt-out holds through two days of reconciles and blocked-number pulls",
    `Dan (DND ticked in GHL): SMS DND ${JSON.stringify(danNow.dndSettings.SMS?.status ?? null)}, ${stack.blocked(PEOPLE.dan.e164) ? "blocked" : "not blocked"} at BulkSMS, ${count(stack.sentTo(PEOPLE.dan.e164).length, "text")} in all`,
    danNow.dndSettings.SMS?.status === "active" &&
      stack.blocked(PEOPLE.dan.e164) &&
      stack.sentTo(PEOPLE.dan.e164).length === 2,
  );
  // BulkSMS cannot unblock: Ben's number stays on its blocked list after START, so nothing is sent to him.
  // His START is newer than the block, so it holds; the block is reported to an operator.
  const benNow = stack.contact(ids.ben);
  const benOptOut = await store.optOuts.get(loc, PEOPLE.ben.e164);
  expect(
    "Ben's START holds through two days of reconciles and blocked-number pulls",
    `Ben: SMS DND ${JSON.stringify(benNow.dndSettings.SMS?.status ?? null)}, tags ${JSON.stringify(benNow.tags)}, local state ${benOptOut?.state ?? "none"} (${benOptOut?.source ?? "-"}), ${stack.blocked(PEOPLE.ben.e164) ? "still" : "not"} blocked at BulkSMS`,
    benNow.dndSettings.SMS?.status !== "active" &&
      !benNow.tags.includes(OPT_OUT_TAG) &&
      benOptOut?.state === "opted_in",
  );
  const unblockTasks = (await stack.tasks(ids.ben)).filter((t) =>
    t.body.includes(`ask BulkSMS support to unblock ${PEOPLE.ben.e164}`),
  );
  expect(
    "Ben: one task asking for BulkSMS to unblock his number",
    `${count(unblockTasks.length, "task")}: ${unblockTasks.map((t) => quote(t.title)).join(", ") || "none"}`,
    unblockTasks.length === 1,
  );
  const lag = await store.inbox.lag();
  expect("every webhook processed", `${lag.pending} pending in the inbox`, lag.pending === 0);
  return results;
}

/** The next time (epoch ms, after `now`) the clock in London shows `hour`:00 (London is on GMT in the demo's March). */
function nextLocalHour(now: number, hour: number): number {
  const d = new Date(now);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, 0);
  if (t <= now) t += 24 * 3_600_000;
  return t;
}
