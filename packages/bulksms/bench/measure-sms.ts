// Speed of measureSms (template previews call it once per contact). Run: pnpm bench
import { measureSms, measureWithLibrary } from "../src/text/measure-sms.ts";

const samples = {
  "ascii 213 chars": "Hi Sam, your appointment is tomorrow at 10:00. Reply STOP to opt out. ".repeat(3),
  "gsm with € and {}": "Price: €20 {incl. tax} – see you soon! ".repeat(3),
  "emoji / UCS-2": "Hi 😀 Привет, see you tomorrow at 10:00 ".repeat(3),
};
const N = 5000;
for (const [name, text] of Object.entries(samples)) {
  for (const [label, fn] of [
    ["measureSms", measureSms],
    ["library only", measureWithLibrary],
  ] as const) {
    const start = performance.now();
    for (let i = 0; i < N; i++) fn(text);
    const us = ((performance.now() - start) / N) * 1000;
    console.log(`${name.padEnd(20)} ${label.padEnd(13)} ${us.toFixed(1).padStart(8)} µs/call`);
  }
}
