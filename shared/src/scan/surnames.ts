/**
 * Common Chinese surnames, used to tell a person's name from other short words in a name column
 * ("郑州", "合计" and "平台" are two characters too). Together they cover the vast majority of people;
 * a rare surname costs one missed value, not a missed column.
 */
const SINGLE =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢' +
  '姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温' +
  '康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成' +
  '苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦卢麦褚娄窦戚岑景党宫' +
  '费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈' +
  '匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰' +
  '支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕' +
  '危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由';

/** Compound surnames (复姓); a name that starts with one keeps both characters when masked. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '司空',
  '夏侯',
  '令狐',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '轩辕',
  '呼延',
  '澹台',
  '公冶',
  '太史',
  '申屠',
  '闻人',
  '万俟',
  '东郭',
  '左丘',
  '钟离',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '赫连',
  '完颜',
  '拓跋',
]);

export const SINGLE_SURNAMES: ReadonlySet<string> = new Set(SINGLE);
