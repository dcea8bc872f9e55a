require("@babel/core");
const a = []; for (let i = 0; i < 2e6; i++) a.push({ i });
require("fs").readFile(__filename, () => console.log("done"));
