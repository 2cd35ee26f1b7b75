// js/console.js - console and print for qjs.wasm, formatting values the
// way node's console.log (util.inspect with its defaults) does.
//
// Built into the driver (js/embed.sh makes it a C array) and evaluated
// once when the runtime is made: the file is one function expression,
// called with the driver's natives ({ write(fd, string), isError(value) }),
// that defines the globals console and print and returns { inspect } for
// the driver's own reports.  Nothing else becomes global.
//
// The rules are node's (lib/internal/util/inspect.js, studied by
// experiment and by reading it; this is a separate implementation of the
// part that plain data needs): depth 2, 100 entries per array, set or map,
// 10000 characters per string, and node's line breaking - an entry list
// goes on one line when it has at most `compact` (3) levels of nesting
// below it and fits in breakLength (80) counting the entries, separators,
// the indentation and a constant 10; arrays of more than six entries are
// first grouped into aligned columns.  What cannot be matched from inside
// the engine: a Promise's state (shown as <unknown>), the contents of
// iterators and weak collections, proxies (formatted through their traps,
// where node looks at the target), and error stacks, which are QuickJS's
// ("    at f (file.js:3)") under node's "Name: message" line.
(function (natives) {
  'use strict';

  const write = natives.write;
  const isNativeError = natives.isError;

  // Built-ins captured now, so that scripts replacing them do not change
  // how values print.
  const uncurry = (fn) => Function.prototype.call.bind(fn);
  const ObjectKeys = Object.keys;
  const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
  const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectIs = Object.is;
  const ArrayIsArray = Array.isArray;
  const hasOwn = uncurry(Object.prototype.hasOwnProperty);
  const propertyIsEnumerable = uncurry(Object.prototype.propertyIsEnumerable);
  const objectToString = uncurry(Object.prototype.toString);
  const functionToString = uncurry(Function.prototype.toString);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const regExpToString = uncurry(RegExp.prototype.toString);
  const errorToString = uncurry(Error.prototype.toString);
  const dateGetTime = uncurry(Date.prototype.getTime);
  const dateToISOString = uncurry(Date.prototype.toISOString);
  const jsonStringify = JSON.stringify;
  const MathMin = Math.min;
  const MathMax = Math.max;
  const MathSqrt = Math.sqrt;
  const MathRound = Math.round;
  const MathFloor = Math.floor;
  const MapCtor = Map;
  const StringCtor = String;
  const NumberCtor = Number;

  const getter = (proto, key) => uncurry(ObjectGetOwnPropertyDescriptor(proto, key).get);
  // A brand check: whether fn accepts the value as its receiver.
  const brand = (fn) => (v) => {
    try {
      fn(v);
      return true;
    } catch {
      return false;
    }
  };
  const mapSize = getter(Map.prototype, 'size');
  const setSize = getter(Set.prototype, 'size');
  const mapEntries = uncurry(Map.prototype.entries);
  const setValues = uncurry(Set.prototype.values);
  const typedArrayProto = ObjectGetPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getter(typedArrayProto, Symbol.toStringTag);
  const typedArrayLength = getter(typedArrayProto, 'length');
  const regExpSource = getter(RegExp.prototype, 'source');
  const isMap = brand(mapSize);
  const isSet = brand(setSize);
  const isWeakMap = brand(uncurry(WeakMap.prototype.has));
  const isWeakSet = brand(uncurry(WeakSet.prototype.has));
  const isArrayBuffer = brand(getter(ArrayBuffer.prototype, 'byteLength'));
  const isSharedArrayBuffer = typeof SharedArrayBuffer === 'function'
    ? brand(getter(SharedArrayBuffer.prototype, 'byteLength')) : () => false;
  const isDataView = brand(getter(DataView.prototype, 'byteLength'));
  const isDate = brand(dateGetTime);
  const isRegExp = (v) => v !== RegExp.prototype && brand(regExpSource)(v);
  const isTypedArray = (v) => typedArrayTag(v) !== undefined;
  const isPromise = (v) => objectToString(v) === '[object Promise]';
  const isArguments = (v) => objectToString(v) === '[object Arguments]';
  const boxed = [
    ['Number', brand(uncurry(Number.prototype.valueOf)), uncurry(Number.prototype.valueOf)],
    ['String', brand(uncurry(String.prototype.valueOf)), uncurry(String.prototype.valueOf)],
    ['Boolean', brand(uncurry(Boolean.prototype.valueOf)), uncurry(Boolean.prototype.valueOf)],
    ['BigInt', brand(uncurry(BigInt.prototype.valueOf)), uncurry(BigInt.prototype.valueOf)],
    ['Symbol', brand(uncurry(Symbol.prototype.valueOf)), uncurry(Symbol.prototype.valueOf)],
  ];
  const GeneratorFunctionProto = ObjectGetPrototypeOf(function* () {});
  const AsyncFunctionProto = ObjectGetPrototypeOf(async function () {});
  const AsyncGeneratorFunctionProto = ObjectGetPrototypeOf(async function* () {});
  const isModuleNamespace = (v) => {
    if (ObjectGetPrototypeOf(v) !== null) return false;
    const d = ObjectGetOwnPropertyDescriptor(v, Symbol.toStringTag);
    return d !== undefined && d.value === 'Module' && !d.writable && !d.enumerable;
  };
  // Constructors that count as built-in (node: the capitalised globals).
  const builtInObjects = new Set(
    ObjectGetOwnPropertyNames(globalThis).filter((e) => /^[A-Z][a-zA-Z0-9]+$/.test(e)));

  const depthLimit = 2;
  const breakLength = 80;
  const compact = 3;
  const maxArrayLength = 100;
  const maxStringLength = 10000;
  const minLineLength = 16;

  const kObjectType = 0;
  const kArrayType = 1;
  const kArrayExtrasType = 2;

  const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  const numberRegExp = /^(0|[1-9][0-9]*)$/;

  // ---- strings ----------------------------------------------------------

  const hex2 = (c) => (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
  // node's escapes for C0, DEL and C1 controls, the quote and backslash.
  function escapeCode(c) {
    switch (c) {
      case 8: return '\\b';
      case 9: return '\\t';
      case 10: return '\\n';
      case 12: return '\\f';
      case 13: return '\\r';
      case 39: return "\\'";
      case 92: return '\\\\';
      default: return '\\x' + hex2(c);
    }
  }

  // A string as a quoted literal: single quotes unless it holds one, then
  // double quotes unless it holds those too, then backticks unless it
  // holds backticks or "${" (then single quotes, escaped).
  function strEscape(str) {
    let quote = 39;
    if (str.includes("'")) {
      if (!str.includes('"')) quote = -1;
      else if (!str.includes('`') && !str.includes('${')) quote = -2;
    }
    let result = '';
    let last = 0;
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      if (c === quote || c === 92 || c < 32 || (c > 126 && c < 160)) {
        result += str.slice(last, i) + escapeCode(c);
        last = i + 1;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && i + 1 < str.length) {
          const next = str.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) {
            i++;
            continue;
          }
        }
        result += str.slice(last, i) + '\\u' + c.toString(16);
        last = i + 1;
      }
    }
    result += str.slice(last);
    if (quote === -1) return `"${result}"`;
    if (quote === -2) return `\`${result}\``;
    return `'${result}'`;
  }

  // Escapes only (a symbol's description, a non-enumerable key).
  function escapeOnly(str) {
    let out = '';
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      out += (c === 39 || c === 92 || c < 32 || (c > 126 && c < 160))
        ? escapeCode(c) : str[i];
    }
    return out;
  }

  // ---- primitives -------------------------------------------------------

  function formatNumber(n) {
    return ObjectIs(n, -0) ? '-0' : `${n}`;
  }

  function formatPrimitive(value, ctx) {
    switch (typeof value) {
      case 'string': {
        let trailer = '';
        if (value.length > maxStringLength) {
          const remaining = value.length - maxStringLength;
          value = value.slice(0, maxStringLength);
          trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
        }
        if (value.length > minLineLength &&
            value.length > breakLength - ctx.indentationLvl - 4) {
          return value.split(/(?<=\n)/).map(strEscape)
            .join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
        }
        return strEscape(value) + trailer;
      }
      case 'number': return formatNumber(value);
      case 'bigint': return `${value}n`;
      case 'symbol': return symbolToString(value);
      default: return `${value}`; // boolean, undefined
    }
  }

  // ---- what an object is ------------------------------------------------

  function isInstanceof(object, ctor) {
    try {
      return object instanceof ctor;
    } catch {
      return false;
    }
  }

  // The name of the first constructor up the prototype chain that the
  // object is an instance of; null for a null prototype.
  function getConstructorName(obj) {
    let o = obj;
    let first;
    while (o) {
      const d = ObjectGetOwnPropertyDescriptor(o, 'constructor');
      if (d !== undefined && typeof d.value === 'function' && d.value.name !== '' &&
          isInstanceof(obj, d.value)) {
        return StringCtor(d.value.name);
      }
      o = ObjectGetPrototypeOf(o);
      if (first === undefined) first = o;
    }
    return first === null ? null : 'Object';
  }

  function getPrefix(constructor, tag, fallback, size = '') {
    if (constructor === null) {
      if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
    return `${constructor}${size} `;
  }

  // Own enumerable string keys, then own enumerable symbols.
  function getKeys(value) {
    const keys = ObjectKeys(value);
    for (const s of ObjectGetOwnPropertySymbols(value)) {
      if (propertyIsEnumerable(value, s)) keys.push(s);
    }
    return keys;
  }

  const isIndexKey = (k) => typeof k === 'string' && numberRegExp.test(k) &&
    NumberCtor(k) < 4294967295;

  function getNonIndexKeys(value) {
    return getKeys(value).filter((k) => !isIndexKey(k));
  }

  function getFunctionBase(value, constructor, tag) {
    const source = functionToString(value);
    if (source.startsWith('class') && source.endsWith('}')) {
      const name = (hasOwn(value, 'name') && value.name) || '(anonymous)';
      let base = `class ${name}`;
      if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
      if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
      if (constructor !== null) {
        const superName = ObjectGetPrototypeOf(value).name;
        if (superName) base += ` extends ${superName}`;
      } else {
        base += ' extends [null prototype]';
      }
      return `[${base}]`;
    }
    const proto = ObjectGetPrototypeOf(value);
    let type = 'Function';
    if (proto === GeneratorFunctionProto) type = 'GeneratorFunction';
    else if (proto === AsyncFunctionProto) type = 'AsyncFunction';
    else if (proto === AsyncGeneratorFunctionProto) type = 'AsyncGeneratorFunction';
    let base = `[${type}`;
    if (constructor === null) base += ' (null prototype)';
    base += value.name === '' ? ' (anonymous)' : `: ${value.name}`;
    base += ']';
    if (constructor !== type && constructor !== null) base += ` ${constructor}`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    return base;
  }

  function getBoxedBase(value, ctx, keys, constructor, tag) {
    for (const [type, test, valueOf] of boxed) {
      if (!test(value)) continue;
      if (type === 'String') keys.splice(0, value.length);
      let base = `[${type}`;
      if (type !== constructor) {
        base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
      }
      base += `: ${formatPrimitive(valueOf(value), { indentationLvl: 0 })}]`;
      if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
      return base;
    }
    return undefined;
  }

  // node's V8 stacks start with "Name: message"; QuickJS's hold only the
  // frames, so the head is added.
  function formatError(err, ctx, keys) {
    let head;
    try {
      head = errorToString(err);
    } catch {
      head = 'Error';
    }
    let frames = typeof err.stack === 'string' ? err.stack.replace(/\n+$/, '') : '';
    for (const key of ['name', 'message', 'stack']) {
      const i = keys.indexOf(key);
      if (i !== -1 && (typeof err[key] !== 'string' || head.includes(err[key]) ||
                       frames.includes(err[key]))) {
        keys.splice(i, 1);
      }
    }
    if ('cause' in err && !keys.includes('cause')) keys.push('cause');
    if (ArrayIsArray(err.errors) && !keys.includes('errors')) keys.push('errors');
    let stack = frames.includes('    at') ? `${head}\n${frames}` : `[${head}]`;
    if (ctx.indentationLvl !== 0) {
      stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
    }
    return stack;
  }

  // ---- entries ----------------------------------------------------------

  const remainingText = (n) => `... ${n} more item${n > 1 ? 's' : ''}`;

  function formatArray(ctx, value, recurseTimes) {
    const len = MathMin(maxArrayLength, value.length);
    const output = [];
    for (let i = 0; i < len; i++) {
      if (!hasOwn(value, i)) return formatSparseArray(ctx, value, recurseTimes, len, output, i);
      output.push(formatProperty(ctx, value, recurseTimes, i, kArrayType));
    }
    if (value.length > len) output.push(remainingText(value.length - len));
    return output;
  }

  // Holes become "<N empty items>".
  function formatSparseArray(ctx, value, recurseTimes, maxLength, output, i) {
    const keys = ObjectKeys(value);
    let index = i;
    for (; i < keys.length && output.length < maxLength; i++) {
      const key = keys[i];
      const n = +key;
      if (n > 2 ** 32 - 2) break;
      if (`${index}` !== key) {
        if (!numberRegExp.test(key)) break;
        const empty = n - index;
        output.push(`<${empty} empty item${empty > 1 ? 's' : ''}>`);
        index = n;
        if (output.length === maxLength) break;
      }
      output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType));
      index++;
    }
    const remaining = value.length - index;
    if (output.length !== maxLength) {
      if (remaining > 0) output.push(`<${remaining} empty item${remaining > 1 ? 's' : ''}>`);
    } else if (remaining > 0) {
      output.push(remainingText(remaining));
    }
    return output;
  }

  function formatTypedArray(ctx, value) {
    const length = typedArrayLength(value);
    const max = MathMin(maxArrayLength, length);
    const output = [];
    for (let i = 0; i < max; i++) {
      const v = value[i];
      output.push(typeof v === 'bigint' ? `${v}n` : formatNumber(v));
    }
    if (length > max) output.push(remainingText(length - max));
    return output;
  }

  function formatSet(ctx, value, recurseTimes) {
    const output = [];
    let remaining = setSize(value);
    ctx.indentationLvl += 2;
    for (const v of setValues(value)) {
      if (output.length >= maxArrayLength) break;
      output.push(formatValue(ctx, v, recurseTimes));
      remaining--;
    }
    if (remaining > 0) output.push(remainingText(remaining));
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatMap(ctx, value, recurseTimes) {
    const output = [];
    let remaining = mapSize(value);
    ctx.indentationLvl += 2;
    for (const [k, v] of mapEntries(value)) {
      if (output.length >= maxArrayLength) break;
      output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
      remaining--;
    }
    if (remaining > 0) output.push(remainingText(remaining));
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatArrayBuffer(ctx, value) {
    const bytes = new Uint8Array(value);
    const shown = MathMin(maxArrayLength, bytes.length);
    const parts = [];
    for (let i = 0; i < shown; i++) parts.push(hex2(bytes[i]).toLowerCase());
    let str = parts.join(' ');
    const remaining = bytes.length - maxArrayLength;
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    return [`[Uint8Contents]: <${str}>`];
  }

  function formatProperty(ctx, value, recurseTimes, key, type) {
    const desc = ObjectGetOwnPropertyDescriptor(value, key) ||
      { value: value[key], enumerable: true };
    let str;
    if (desc.value !== undefined) {
      ctx.indentationLvl += 2;
      str = formatValue(ctx, desc.value, recurseTimes);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
    } else if (desc.set !== undefined) {
      str = '[Setter]';
    } else {
      str = 'undefined';
    }
    if (type === kArrayType) return str;
    let name;
    if (typeof key === 'symbol') name = `[${escapeOnly(symbolToString(key))}]`;
    else if (key === '__proto__') name = "['__proto__']";
    else if (desc.enumerable === false) name = `[${escapeOnly(key)}]`;
    else if (keyStrRegExp.test(key)) name = key;
    else name = strEscape(key);
    return `${name}: ${str}`;
  }

  // ---- layout -----------------------------------------------------------

  // Arrays of more than six entries are laid out in columns: as many as
  // make a roughly square block (characters being about 2.5 times as high
  // as wide), at most 15, at most 4 * compact, within breakLength; numbers
  // are right-aligned, anything else left-aligned.
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let outputLength = output.length;
    if (value !== undefined && value.length > maxArrayLength && outputLength > maxArrayLength) {
      outputLength--; // the "... more items" entry stays on its own
    }
    const separatorSpace = 2;
    const dataLen = [];
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < breakLength &&
        (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = MathSqrt(actualMax - totalLength / output.length);
      const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
      const columns = MathMin(
        MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
        MathFloor((breakLength - ctx.indentationLvl) / actualMax),
        compact * 4,
        15);
      if (columns <= 1) return output;
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineMaxLength = 0;
        for (let j = i; j < output.length; j += columns) {
          if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
        }
        maxLineLength.push(lineMaxLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
            padStart = false;
            break;
          }
        }
      }
      const tmp = [];
      for (let i = 0; i < outputLength; i += columns) {
        const max = MathMin(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const cell = `${output[j]}, `;
          str += padStart ? cell.padStart(maxLineLength[j - i], ' ')
            : cell.padEnd(maxLineLength[j - i], ' ');
        }
        str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ')
          : output[j];
        tmp.push(str);
      }
      if (outputLength < output.length) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function isBelowBreakLength(output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > breakLength) return false;
    for (const entry of output) {
      totalLength += entry.length;
      if (totalLength > breakLength) return false;
    }
    return base === '' || !base.includes('\n');
  }

  function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
    const entries = output.length;
    if (extrasType === kArrayExtrasType && entries > 6) {
      output = groupArrayElements(ctx, output, value);
    }
    // ctx.currentDepth is the depth of the innermost object formatted last
    // below this one: up to `compact` levels are joined on one line.
    if (ctx.currentDepth - recurseTimes < compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) {
          return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ` +
      `${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }

  // ---- values -----------------------------------------------------------

  function formatValue(ctx, value, recurseTimes) {
    if (typeof value !== 'object' && typeof value !== 'function') {
      return formatPrimitive(value, ctx);
    }
    if (value === null) return 'null';
    if (ctx.seen.includes(value)) {
      if (ctx.circular === undefined) ctx.circular = new MapCtor();
      let index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
      return `[Circular *${index}]`;
    }
    return formatRaw(ctx, value, recurseTimes);
  }

  // What formatRaw needs to lay an object out: its keys, base, braces,
  // formatter and kind; or { done: string } when it prints without entries.
  function describe(ctx, value, recurseTimes, constructor, tag) {
    const d = { keys: undefined, base: '', braces: ['{', '}'], formatter: () => [],
                extrasType: kObjectType };
    if (ArrayIsArray(value)) {
      const prefix = (constructor !== 'Array' || tag !== '')
        ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
      d.keys = getNonIndexKeys(value);
      d.braces = [`${prefix}[`, ']'];
      if (value.length === 0 && d.keys.length === 0) return { done: `${d.braces[0]}]` };
      d.extrasType = kArrayExtrasType;
      d.formatter = formatArray;
      return d;
    }
    if (isSet(value) || isMap(value)) {
      const set = isSet(value);
      const size = set ? setSize(value) : mapSize(value);
      const prefix = getPrefix(constructor, tag, set ? 'Set' : 'Map', `(${size})`);
      d.keys = getKeys(value);
      d.formatter = set ? formatSet : formatMap;
      if (size === 0 && d.keys.length === 0) return { done: `${prefix}{}` };
      d.braces = [`${prefix}{`, '}'];
      return d;
    }
    if (isTypedArray(value)) {
      const size = typedArrayLength(value);
      const fallback = constructor === null ? typedArrayTag(value) : '';
      const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
      d.keys = getNonIndexKeys(value);
      d.braces = [`${prefix}[`, ']'];
      if (size === 0 && d.keys.length === 0) return { done: `${d.braces[0]}]` };
      d.formatter = formatTypedArray;
      d.extrasType = kArrayExtrasType;
      return d;
    }
    d.keys = getKeys(value);
    if (typeof value === 'function') {
      d.base = getFunctionBase(value, constructor, tag);
      if (d.keys.length === 0) return { done: d.base };
    } else if (constructor === 'Object') {
      if (isArguments(value)) d.braces[0] = '[Arguments] {';
      else if (tag !== '') d.braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
      if (d.keys.length === 0) return { done: `${d.braces[0]}}` };
    } else if (isRegExp(value)) {
      d.base = regExpToString(value);
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') d.base = `${prefix}${d.base}`;
      if (d.keys.length === 0 || recurseTimes > depthLimit) return { done: d.base };
    } else if (isDate(value)) {
      const time = dateGetTime(value);
      d.base = time !== time ? 'Invalid Date' : dateToISOString(value);
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') d.base = `${prefix}${d.base}`;
      if (d.keys.length === 0) return { done: d.base };
    } else if (isNativeError(value)) {
      d.base = formatError(value, ctx, d.keys);
      if (d.keys.length === 0) return { done: d.base };
    } else if (isArrayBuffer(value) || isSharedArrayBuffer(value)) {
      const kind = isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer';
      d.braces[0] = `${getPrefix(constructor, tag, kind)}{`;
      d.formatter = formatArrayBuffer;
      d.keys.unshift('byteLength');
    } else if (isDataView(value)) {
      d.braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
      d.keys.unshift('byteLength', 'byteOffset', 'buffer');
    } else if (isPromise(value)) {
      d.braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
      d.formatter = () => ['<unknown>'];
    } else if (isWeakSet(value) || isWeakMap(value)) {
      d.braces[0] = `${getPrefix(constructor, tag, isWeakSet(value) ? 'WeakSet' : 'WeakMap')}{`;
      d.formatter = () => ['<items unknown>'];
    } else if (isModuleNamespace(value)) {
      d.braces[0] = '[Module: null prototype] {';
    } else {
      const b = getBoxedBase(value, ctx, d.keys, constructor, tag);
      if (b !== undefined) {
        d.base = b;
        if (d.keys.length === 0) return { done: b };
      } else {
        const style = getPrefix(constructor, tag, 'Object');
        if (d.keys.length === 0) return { done: `${style}{}` };
        d.braces[0] = `${style}{`;
      }
    }
    return d;
  }

  function formatRaw(ctx, value, recurseTimes) {
    const constructor = getConstructorName(value);
    let tag = value[Symbol.toStringTag];
    // The tag is shown only when it is not an own enumerable property
    // (which prints anyway).
    if (typeof tag !== 'string' || (tag !== '' && propertyIsEnumerable(value, Symbol.toStringTag))) {
      tag = '';
    }
    const d = describe(ctx, value, recurseTimes, constructor, tag);
    if (d.done !== undefined) return d.done;
    let base = d.base;
    if (recurseTimes > depthLimit) {
      const style = getPrefix(constructor, tag, constructor === null ? 'Object' : '').slice(0, -1);
      return constructor !== null ? `[${style}]` : style;
    }
    recurseTimes += 1;
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    const output = d.formatter(ctx, value, recurseTimes);
    for (const key of d.keys) {
      output.push(formatProperty(ctx, value, recurseTimes, key, d.extrasType));
    }
    if (ctx.circular !== undefined) {
      const index = ctx.circular.get(value);
      if (index !== undefined) base = base === '' ? `<ref *${index}>` : `<ref *${index}> ${base}`;
    }
    ctx.seen.pop();
    return reduceToSingleString(ctx, output, base, d.braces, d.extrasType, recurseTimes, value);
  }

  function inspect(value, depth) {
    const ctx = { seen: [], circular: undefined, indentationLvl: 0, currentDepth: 0 };
    if (depth === undefined) return formatValue(ctx, value, 0);
    // %s of an object and %o use other depths: start deeper or shallower.
    return formatValue(ctx, value, depthLimit - depth);
  }

  // ---- console.log's arguments ------------------------------------------

  // Whether String(value) would use a built-in toString (then %s inspects).
  function hasBuiltInToString(value) {
    let hasToString = typeof value.toString === 'function';
    if (!hasToString && typeof value[Symbol.toPrimitive] !== 'function') return true;
    if (hasOwn(value, 'toString') || hasOwn(value, Symbol.toPrimitive)) return false;
    let p = value;
    do {
      p = ObjectGetPrototypeOf(p);
    } while (p !== null && !hasOwn(p, 'toString') && !hasOwn(p, Symbol.toPrimitive));
    if (p === null) return true;
    const d = ObjectGetOwnPropertyDescriptor(p, 'constructor');
    return d !== undefined && typeof d.value === 'function' && builtInObjects.has(d.value.name);
  }

  function tryStringify(arg) {
    try {
      return jsonStringify(arg);
    } catch (err) {
      if (err instanceof TypeError && /circular/i.test(err.message)) return '[Circular]';
      throw err;
    }
  }

  function formatPlaceholder(c, arg) {
    switch (c) {
      case 115: // %s
        if (typeof arg === 'number') return formatNumber(arg);
        if (typeof arg === 'bigint') return `${arg}n`;
        if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) {
          return StringCtor(arg);
        }
        return inspect(arg, 0);
      case 106: return tryStringify(arg); // %j
      case 100: // %d
        if (typeof arg === 'bigint') return `${arg}n`;
        return typeof arg === 'symbol' ? 'NaN' : formatNumber(NumberCtor(arg));
      case 105: // %i
        if (typeof arg === 'bigint') return `${arg}n`;
        return typeof arg === 'symbol' ? 'NaN' : formatNumber(parseInt(arg));
      case 102: // %f
        return typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg));
      case 79: return inspect(arg); // %O
      case 111: return inspect(arg, 4); // %o (without node's showHidden)
      case 99: return ''; // %c
      default: return null; // not a placeholder: printed as it is
    }
  }

  // util.format: printf-like placeholders in a leading string, then the
  // rest of the arguments, strings as they are and the others inspected.
  function format(args) {
    const first = args[0];
    let a = 0;
    let str = '';
    let join = '';
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      let lastPos = 0;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) !== 37) continue; // '%'
        const next = first.charCodeAt(++i);
        if (a + 1 !== args.length) {
          if (next === 37) {
            str += first.slice(lastPos, i);
            lastPos = i + 1;
            continue;
          }
          const s = formatPlaceholder(next, args[a + 1]);
          if (s === null) continue;
          a++;
          if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
          str += s; // may be undefined: %j of undefined
          lastPos = i + 1;
        } else if (next === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
      if (lastPos !== 0) {
        a++;
        join = ' ';
        if (lastPos < first.length) str += first.slice(lastPos);
      }
    }
    while (a < args.length) {
      const value = args[a];
      str += join + (typeof value !== 'string' ? inspect(value) : value);
      join = ' ';
      a++;
    }
    return str;
  }

  // ---- the globals ------------------------------------------------------

  let groupIndent = '';
  const counts = new MapCtor();

  function emit(fd, text) {
    if (groupIndent !== '') {
      text = groupIndent + (text.includes('\n') ? text.replaceAll('\n', `\n${groupIndent}`) : text);
    }
    write(fd, text + '\n');
  }

  const console = {
    log(...args) { emit(1, format(args)); },
    info(...args) { emit(1, format(args)); },
    debug(...args) { emit(1, format(args)); },
    warn(...args) { emit(2, format(args)); },
    error(...args) { emit(2, format(args)); },
    dir(value) { emit(1, inspect(value)); },
    trace(...args) {
      const frames = new Error().stack.replace(/\n+$/, '').split('\n').slice(1).join('\n');
      emit(2, `Trace${args.length ? ': ' + format(args) : ''}\n${frames}`);
    },
    assert(value, ...args) {
      if (value) return;
      if (typeof args[0] === 'string') {
        args[0] = `Assertion failed: ${args[0]}`;
        emit(2, format(args));
      } else {
        emit(2, args.length ? `Assertion failed ${format(args)}` : 'Assertion failed');
      }
    },
    count(label = 'default') {
      label = `${label}`;
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      emit(1, `${label}: ${n}`);
    },
    countReset(label = 'default') { counts.delete(`${label}`); },
    group(...args) {
      if (args.length) emit(1, format(args));
      groupIndent += '  ';
    },
    groupEnd() { groupIndent = groupIndent.slice(0, -2); },
  };
  console.groupCollapsed = console.group;

  const define = (name, value) => Object.defineProperty(globalThis, name,
    { value, writable: true, configurable: true, enumerable: false });
  define('console', console);
  define('print', (...args) => write(1, args.map((v) => StringCtor(v)).join(' ') + '\n'));

  return { inspect: (value) => inspect(value) };
})
