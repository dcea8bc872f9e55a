// A generator is a machine too: each next() resumes it at its yield, and a for-of drives it.
function* countdown(from) {
  try {
    for (let n = from; n > 0; n--) {
      const command = yield n;
      if (command === "stop") return "stopped early";
    }
    return "liftoff";
  } finally {
    console.log("countdown closed");
  }
}

for (const n of countdown(3)) console.log("tick", n);

const manual = countdown(5);
console.log(manual.next());
console.log(manual.next());
console.log(manual.next("stop"));
