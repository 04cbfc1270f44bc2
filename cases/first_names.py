"""First names people in Belarus are called by, men's and women's, in the ways they are written.

One line is one name: its Belarusian and Russian Cyrillic, passport-style
Latin, Łacinka or Polish, and the common English spellings (spellings that
fold to one skeleton need not all be listed). The name search
(``cases.genders``) declines each line's Cyrillic and Polish forms itself
(Аляксандра, Аляксандру, Aleksandrowi), so a line holds nominatives only.

What the list is for: telling that "Аляксандра" is a woman's name (and a
man's genitive), "Анастас" a man's, and "Марта" another name than "Марфа",
so a first name that is not the person's never opens their card. A name
missing here is still found by its letters; it only says nothing of gender.
Diminutives used by both (Саша, Женя, Валя) are left out for that reason.
"""

from __future__ import annotations

MASCULINE = """
Аляксандр Александр Aliaksandr Aleksandr Alexander Aleksander Alaksandar Alyaksandr
Алесь Олесь Ales Aleś
Дзмітрый Дмитрий Зміцер Змитер Dzmitry Dmitry Dmitri Dmitrij Zmitser
Сяргей Сергей Siarhei Sergei Sergey Siarhiej
Андрэй Андрей Andrei Andrey Andrej Andrzej Andrew
Аляксей Алексей Aliaksei Alexei Aleksei Alexey Alaksiej
Мікалай Николай Mikalai Nikolai Nikolay Mikałaj Mikolaj Nicholas
Мікола Микола Mikola
Уладзімір Владимир Uladzimir Vladimir Uładzimir Włodzimierz
Ігар Игорь Ihar Igor
Максім Максим Maksim Maxim Maksym
Юрый Юрий Yury Yuri Yuriy Jury Jurij Jerzy
Павел Павал Pavel Paval Paul Paweł
Віктар Виктор Viktar Viktor Victor Wiktar Wiktor
Яўген Яўгеній Евгений Yauhen Yevgeny Evgeny Evgeni Eugene Jaŭhien Eugeniusz
Іван Иван Ivan Iwan
Ян Jan Yan
Арцём Артём Артем Artsiom Artyom Artem Arciom
Антон Anton Antoni
Раман Роман Raman Roman
Алег Олег Aleh Oleg
Вадзім Вадим Vadzim Vadim
Кірыл Кирилл Kiryl Kirill Cyryl
Міхаіл Міхась Михаил Mikhail Michail Michał Michael Mikhas
Васіль Василий Vasil Vasily Vasili Wasil
Канстанцін Константин Kanstantsin Konstantin Kanstancin Konstanty
Кастусь Kastus Kastuś
Леанід Леонид Leanid Leonid
Валерый Валерий Valery Valeri Valeriy Walery
Уладзіслаў Владислав Uladzislau Vladislav Uładzisłaŭ Władysław
Станіслаў Станислав Stanislau Stanislav Stanisław
Яраслаў Ярослав Yaraslau Yaroslav Jarosław
Вячаслаў Вячеслав Viachaslau Vyacheslav Wiaczesław
Пятро Пётр Петр Piatro Pyotr Petr Piotr Peter
Рыгор Григорий Ryhor Grigory Grigori Hryhory Grzegorz
Ягор Егор Yahor Egor Yegor
Мікіта Никита Mikita Nikita
Ілья Ілля Илья Illia Ilya Ilia Ilja
Глеб Hleb Gleb
Эдуард Eduard Edward
Сцяпан Степан Stsiapan Stepan Sciapan Stefan
Валянцін Валентин Valiantsin Valentin Walancin Valancin Walenty
Анастас Анастасій Anastas Anastasi
Марыян Марьян Maryian Marian Marjan
Мілан Milan
Данііл Даниил Даніла Данила Daniil Danila Daniel Danil
Тарас Taras
Марк Mark Marek
Мацвей Матвей Matsvei Matvei Matvey Mateusz
Цімафей Тимофей Tsimafei Timofei Timofey Tymoteusz
Арсеній Арсений Arseni Arseniy Arsenii
Багдан Богдан Bahdan Bogdan Bohdan
Віталь Віталій Виталий Vital Vitali Vitaly Vitaliy Witalij
Генадзь Геннадий Henadz Gennady Gennadiy Henadź
Анатоль Анатолий Anatol Anatoly Anatoli Anatolij
Барыс Борис Barys Boris Borys
Руслан Ruslan
Ігнат Игнат Ihnat Ignat
Дзяніс Денис Dzianis Denis
Фёдар Фёдор Fiodar Fedor Fyodor Fiodor
Сямён Семён Siamion Semyon Semen Siemion
Леў Лев Leu Lev Lew
Францішак Francišak Frantsishak Franciszek
Лявон Леон Liavon Leon
Зянон Зенон Zianon Zenon
Аляксандар Aleksandar
Эрык Эрик Eryk Erik
Вітольд Witold Vitold
Тадэвуш Тадеуш Tadevush Tadeusz
Юліян Юлиан Yulian Julian
Ціхан Тихон Tsikhan Tikhon
Філіп Филипп Filip Philip
Кузьма Kuzma
Лука Luka
Фама Фома Fama Foma
"""

FEMININE = """
Тацяна Татьяна Tatsiana Tatiana Tatyana Taciana Tacciana
Вольга Ольга Volha Olga Wolha
Наталля Наталья Наталия Natallia Natalia Natalya Natalla
Алена Алёна Елена Alena Alyona Elena Yelena Helena Olena
Ірына Ирина Iryna Irina Irena
Святлана Светлана Sviatlana Svetlana Swiatłana
Кацярына Екатерина Katsiaryna Ekaterina Yekaterina Katarzyna Kaciaryna Katerina
Марыя Мария Maryia Maria Mariya Marija Mary
Юлія Юлия Yulia Yuliya Julia Julija
Ганна Анна Hanna Anna Ann
Анастасія Анастасия Наста Настя Anastasiya Anastasia Nasta Nastya Nastia
Дар'я Дарья Darya Daria Dariya
Людміла Людмила Liudmila Lyudmila Ludmila
Ксенія Ксения Ksenia Kseniya Ksenija
Паліна Полина Palina Polina
Валянціна Валентина Valiantsina Valentina Walancina
Галіна Галина Halina Galina
Вераніка Вероника Veranika Veronika Weronika
Аксана Оксана Aksana Oksana
Вікторыя Виктория Viktoryia Viktoria Victoria Wiktoria
Марфа Marfa
Марта Marta
Алеся Олеся Alesia Alesya Olesya Alesja
Аляксандра Александра Aliaksandra Aleksandra Alexandra
Яўгенія Евгения Yauhenia Evgenia Yevgenia Eugenia
Станіслава Станислава Stanislava Stanisława
Уладзіслава Владислава Uladzislava Vladislava Władysława
Марына Марина Maryna Marina
Ніна Нина Nina
Лідзія Лидия Lidziya Lidia Lidiya
Зоя Zoya Zoja
Надзея Надежда Nadzeya Nadezhda Nadzieja
Любоў Любовь Liubou Lyubov
Вера Vera Wiera
Лілія Лилия Liliya Lilia
Алла Ала Alla Ala
Жанна Zhanna
Інэса Инесса Inesa Inessa
Іна Инна Ina Inna
Раіса Раиса Raisa
Маргарыта Маргарита Marharyta Margarita Małgorzata
Ева Эва Eva Ewa
Соф'я Софья София Sofia Sofiya Sophia Zofia
Ульяна Ulyana Uliana
Дзіяна Диана Dziyana Diana
Кіра Кира Kira
Ларыса Лариса Larysa Larisa
Тамара Tamara
Валерыя Валерия Valeryia Valeria
Карына Карина Karyna Karina
Крысціна Кристина Krystsina Kristina Krystyna
Аліна Алина Alina
Ангеліна Angelina
Яна Yana Jana
Эліна Элина Elina
Антаніна Антонина Antanina Antonina
Ядвіга Ядвига Yadviga Jadwiga
Данута Danuta
Мілана Milana
Іванна Івана Иванна Ivanna Ivana Iwona
Яраслава Ярослава Yaraslava Yaroslava Jarosława
Багдана Богдана Bahdana Bogdana
Руслана Ruslana
Эвеліна Эвелина Evelina Ewelina
Лізавета Елизавета Lizaveta Elizaveta Elżbieta
Ліна Lina
Рэгіна Регина Rehina Regina
Каміла Камила Kamila
"""


def names(text: str) -> list[list[str]]:
    """The lines of ``MASCULINE`` or ``FEMININE``: one list of spellings per name."""
    return [line.split() for line in text.splitlines() if line.split()]
