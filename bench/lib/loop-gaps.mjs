// Preloaded into a server under measurement (`node --import ./bench/lib/loop-gaps.mjs …`):
// a 10 ms timer that prints every gap over 50 ms between its runs to stderr as
// `loop-gap <ms> <cpu ms> <epoch ms>`: the event loop was blocked (or starved of
// macrotasks) that long, and the process's threads used that much CPU meanwhile. A gap
// with little CPU is the machine's other load holding the process, not its own work.
const TICK = 10;
let last = performance.now();
let lastCpu = process.cpuUsage();
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  const gap = now - last - TICK;
  const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
  last = now;
  lastCpu = cpu;
  if (gap > 50) process.stderr.write(`loop-gap ${gap.toFixed(0)} ${used.toFixed(0)} ${Date.now()}\n`);
}, TICK).unref();
