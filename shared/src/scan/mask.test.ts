import { maskValue } from './mask';
import { withIdCheck } from './test-helpers';

describe('maskValue', () => {
  const id = withIdCheck('41010519900307123');

  it.each([
    ['idNumber', id, `4101**********${id.slice(-4)}`],
    ['idNumber', `${id.slice(0, 6)} ${id.slice(6)}`, `4101**********${id.slice(-4)}`],
    ['bankCard', '6222 0212 3456 7890 128', '6222***********0128'],
    ['bankCard', '4111111111111111', '4111********1111'],
    ['mobile', '13800138000', '138****8000'],
    ['mobile', '+86 138-0013-8000', '138****8000'],
    ['email', 'zhang@example.cn', 'z***@example.cn'],
    ['personName', '张三', '张*'],
    ['personName', '王小明', '王**'],
    ['personName', '欧阳娜娜', '欧阳**'],
    ['personName', 'John Smith', 'J*** S****'],
    ['licencePlate', '豫A12345', '豫A***45'],
    ['licencePlate', '豫A·D12345', '豫A****45'],
    ['coordinate', '34.74651,113.62536', '34.75,113.63'],
    ['coordinate', '-33.86882', '-33.87'],
    ['creditCode', '91350100M000100Y43', '9135**********0Y43'],
  ] as const)('when a %s %p is masked, then it shows %p', (detector, value, masked) => {
    expect(maskValue(detector, value)).toBe(masked);
  });

  it('when a value is too short to keep its ends, then it is all stars', () => {
    expect(maskValue('bankCard', '1234567')).toBe('*******');
  });
});
