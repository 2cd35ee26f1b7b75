// Lookbehind and lookahead assertions, positive and negative.
console.log('$10 €20 $30'.match(/(?<=\$)\d+/g), '$10 €20 $30'.match(/(?<!\$)\b\d+/g));
console.log('price1 cost2 price3'.replace(/(?<=price)\d/g, '#'));
console.log('abcabc'.match(/(?<=(a)(b))c/).slice(0, 3), 'xaybzc'.match(/(?<=[ab])[yz]/g));
console.log('1234567.891'.replace(/\B(?<!\.\d*)(?=(\d{3})+(?!\d))/g, ','));
console.log('foobar foobaz'.match(/foo(?=baz)/).index, 'foobar foobaz'.match(/foo(?!bar)/).index);
console.log(/(?<=^|,)\s*(\w+)/g[Symbol.replace]('a, b,c', '<$1>'));
console.log('camelCaseStringHere'.split(/(?<=[a-z])(?=[A-Z])/));
console.log('2020-01-02'.match(/(?<=-)\d+/g), 'aaa'.match(/(?<=a)a/g), 'abc'.match(/(?<=\1(b))c/));
console.log(/(?<!\d)\d{3}(?!\d)/.exec('12 345 6789')[0], 'ab'.replace(/(?<=a)/, '|'));
